namespace ReactiveKv;

/// <summary>
/// What a loop sleeps in between turns: it waits for posted work, a timer's due time, or (when it can watch sockets)
/// descriptor readiness, which it dispatches to the registered handlers before returning. The loop calls only this.
/// </summary>
internal interface IPoller : IDisposable
{
    /// <summary>True when descriptors can be registered, so transports on this loop read and write sockets themselves.</summary>
    bool CanRegisterSockets { get; }

    /// <summary>Adds <paramref name="fd"/> with the given <c>EPOLL*</c> interest; returns the token to change or remove it. Loop thread.</summary>
    ulong Register(int fd, uint events, IReadinessHandler handler);

    /// <summary>Changes the interest of a registered descriptor. Loop thread.</summary>
    void Modify(int fd, ulong token, uint events);

    /// <summary>Removes a descriptor; call before closing it. Events already fetched for it are dropped. Loop thread.</summary>
    void Unregister(int fd, ulong token);

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever, 0: just look) and dispatches what is ready. Loop thread.</summary>
    void Poll(int timeoutMs);

    /// <summary>
    /// Waits as <see cref="Poll"/> does but only fetches what is ready, touching no handler, so another thread may
    /// hold the loop's turn meanwhile; returns the count to give <see cref="Dispatch"/>. Loop thread.
    /// </summary>
    int Wait(int timeoutMs);

    /// <summary>Dispatches what the last <see cref="Wait"/> fetched. Loop thread, holding the loop's turn.</summary>
    void Dispatch(int ready);

    /// <summary>Makes a sleeping or about-to-sleep <see cref="Poll"/> return. Any thread.</summary>
    void Wake();
}
