using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A loop's own epoll set, as Twisted's epollreactor has: the loop thread sleeps in <c>epoll_wait</c>, wakes for
/// socket readiness or for an eventfd that other threads write when they post work, and reads and writes the
/// sockets itself. No thread hop between the kernel and the protocol.
/// </summary>
internal sealed unsafe class EpollPoller : IPoller
{
    private const ulong WakeToken = ulong.MaxValue;
    private const int MaxEvents = 256;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly EpollEventLayout _layout;
    private readonly byte* _events;
    private readonly Dictionary<ulong, IReadinessHandler> _handlers = [];
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private ulong _nextToken;
    private int _wakePending;
    private int _disposed;

    private EpollPoller(int epoll, int wakeFd, EpollEventLayout layout, ILogger logger)
    {
        _epoll = epoll;
        _wakeFd = wakeFd;
        _layout = layout;
        _logger = logger;
        _events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * layout.Size));
        Control(EpollNative.CtlAdd, _wakeFd, EpollNative.In, WakeToken, "epoll_ctl(eventfd)");
    }

    public bool CanRegisterSockets => true;

    /// <summary>A poller, or null where epoll is unavailable (not Linux, or no glibc): the loop then uses a wait handle and pipes.</summary>
    public static EpollPoller? TryCreate(ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var epoll = EpollNative.Create(EpollNative.CloseOnExec);
            if (epoll < 0)
            {
                return null;
            }

            var wakeFd = EpollNative.EventFd(0, EpollNative.CloseOnExec | EpollNative.NonBlocking);
            if (wakeFd < 0)
            {
                EpollNative.Close(epoll);
                return null;
            }

            return new EpollPoller(epoll, wakeFd, EpollEventLayout.Current, logger);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public ulong Register(int fd, uint events, IReadinessHandler handler)
    {
        var token = _nextToken++;
        Control(EpollNative.CtlAdd, fd, events, token, "epoll_ctl(ADD)");
        _handlers[token] = handler;
        return token;
    }

    public void Modify(int fd, ulong token, uint events) => Control(EpollNative.CtlModify, fd, events, token, "epoll_ctl(MOD)");

    public void Unregister(int fd, ulong token)
    {
        _handlers.Remove(token);
        EpollNative.Control(_epoll, EpollNative.CtlDelete, fd, null);
    }

    // One eventfd write per sleep at most, however many threads post.
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) != 0)
        {
            return;
        }

        // The lock only keeps a late poster from writing to a descriptor number that Dispose has freed for reuse.
        lock (_gate)
        {
            if (_disposed == 0)
            {
                ulong one = 1;
                EpollNative.Write(_wakeFd, &one, sizeof(ulong));
            }
        }
    }

    public void Poll(int timeoutMs) => Dispatch(Wait(timeoutMs));

    public int Wait(int timeoutMs)
    {
        var count = EpollNative.Wait(_epoll, _events, MaxEvents, timeoutMs);
        if (count >= 0)
        {
            return count;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != EpollNative.Interrupted)
        {
            throw new InvalidOperationException($"epoll_wait failed with errno {errno}.");
        }

        return 0;
    }

    public void Dispatch(int ready)
    {
        var events = new ReadOnlySpan<byte>(_events, ready * _layout.Size);
        for (var i = 0; i < ready; i++)
        {
            var data = _layout.DataAt(events, i);
            if (data == WakeToken)
            {
                DrainWake();
            }
            else if (_handlers.TryGetValue(data, out var handler))
            {
                Dispatch(handler, _layout.EventsAt(events, i));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
        }

        EpollNative.Close(_wakeFd);
        EpollNative.Close(_epoll);
        NativeMemory.Free(_events);
    }

    private void DrainWake()
    {
        ulong value;
        EpollNative.Read(_wakeFd, &value, sizeof(ulong));
        Volatile.Write(ref _wakePending, 0);
    }

    private void Dispatch(IReadinessHandler handler, uint events)
    {
        try
        {
            handler.OnReadiness(events);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A readiness handler failed");
            ReactorDiagnostics.UnhandledErrors.Add(1);
        }
    }

    private void Control(int operation, int fd, uint events, ulong token, string call)
    {
        // Sized for the larger layout; the kernel reads only the bytes of this architecture's.
        var change = stackalloc byte[16];
        _layout.Write(new Span<byte>(change, 16), events, token);
        if (EpollNative.Control(_epoll, operation, fd, change) < 0)
        {
            throw new InvalidOperationException($"{call} failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }
}
