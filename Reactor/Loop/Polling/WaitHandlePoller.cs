namespace ReactiveKv;

/// <summary>
/// The poller where epoll is unavailable (or turned off): the loop sleeps on an event that posters set. It watches no
/// descriptors, so transports on such a loop move bytes with pumps on the thread pool instead.
/// </summary>
internal sealed class WaitHandlePoller : IPoller
{
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 50);

    public bool CanRegisterSockets => false;

    public ulong Register(int fd, uint events, IReadinessHandler handler) => throw NoSockets();

    public void Modify(int fd, ulong token, uint events) => throw NoSockets();

    public void Unregister(int fd, ulong token) => throw NoSockets();

    public void Poll(int timeoutMs) => Dispatch(Wait(timeoutMs));

    public int Wait(int timeoutMs)
    {
        if (timeoutMs != 0)
        {
            _wake.Wait(timeoutMs);
        }

        // Reset after waking, not before sleeping: a Set that raced with the wait then costs one spurious turn, never a lost wake.
        if (_wake.IsSet)
        {
            _wake.Reset();
        }

        return 0;
    }

    // Nothing is ever fetched: this poller watches no descriptors.
    public void Dispatch(int ready)
    {
    }

    public void Wake() => _wake.Set();

    // The event is left to the collector: a poster that saw the loop asleep may still Set it after the loop ended,
    // and it holds no kernel handle unless someone asks for one.
    public void Dispose()
    {
    }

    private static NotSupportedException NoSockets() =>
        new("This loop waits on a wait handle and cannot watch sockets; use a pipe transport on it.");
}
