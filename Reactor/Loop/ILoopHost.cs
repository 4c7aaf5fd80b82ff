namespace ReactiveKv;

/// <summary>
/// A single-threaded executor that an <see cref="EventLoop"/> runs on instead of its own thread and poller (another
/// reactor's loop, such as DotNetty's). The loop queues its turns and timers here; everything the host runs happens on
/// one thread, in order, so the loop's rules (one thread, no locks in protocols) hold unchanged.
/// </summary>
internal interface ILoopHost
{
    /// <summary>True when the caller is on the host's thread.</summary>
    bool InHostThread { get; }

    /// <summary>Runs <paramref name="callback"/> soon on the host's thread, after what is already queued there. Any thread.</summary>
    void Execute(Action<object?> callback, object? state);

    /// <summary>Runs <paramref name="callback"/> on the host's thread after <paramref name="delay"/>; disposing the result cancels it. Any thread.</summary>
    IDisposable Schedule(Action<object?> callback, object? state, TimeSpan delay);
}
