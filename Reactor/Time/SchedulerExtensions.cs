using System.Reactive.Concurrency;

namespace ReactiveKv;

/// <summary>Twisted's clock verbs on any Rx scheduler, so code written for the reactor also runs on a virtual clock.</summary>
public static class SchedulerExtensions
{
    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/>; the handle can cancel, reset or delay it.</summary>
    public static IDelayedCall CallLater(this IScheduler clock, TimeSpan delay, Action action) =>
        DelayedCall.Schedule(clock, delay, action);
}
