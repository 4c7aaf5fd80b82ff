using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace ReactiveKv.DotNetty;

/// <summary>Runs a hosted <see cref="EventLoop"/>'s turns and timers as tasks of one DotNetty <see cref="IEventLoop"/>.</summary>
internal sealed class DotNettyLoopHost(IEventLoop executor) : ILoopHost
{
    /// <summary>The DotNetty loop; channels of the hosted loop's connections are registered on it.</summary>
    public IEventLoop Executor => executor;

    public bool InHostThread => executor.InEventLoop;

    public void Execute(Action<object?> callback, object? state)
    {
        try
        {
            executor.Execute(callback!, state);
        }
        catch (RejectedExecutionException)
        {
            // The DotNetty loop is shut down: work posted to a stopped reactor loop is dropped, as on the default reactor.
        }
    }

    public IDisposable Schedule(Action<object?> callback, object? state, TimeSpan delay)
    {
        try
        {
            return new ScheduledTimer(executor.Schedule(callback!, state, delay));
        }
        catch (RejectedExecutionException)
        {
            return System.Reactive.Disposables.Disposable.Empty;
        }
    }

    private sealed class ScheduledTimer(IScheduledTask task) : IDisposable
    {
        public void Dispose() => task.Cancel();
    }
}
