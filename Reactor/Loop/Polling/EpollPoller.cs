using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A loop's own epoll set, as Twisted's epollreactor has: the loop thread sleeps in <c>epoll_wait</c>, wakes for
/// socket readiness or for an eventfd that other threads write when they post work, and reads and writes the
/// sockets itself. No thread hop between the kernel and the protocol.
/// </summary>
internal sealed unsafe class EpollPoller : IDisposable
{
    private const ulong WakeToken = ulong.MaxValue;
    private const int MaxEvents = 256;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly EpollNative.Event* _events;
    private readonly Dictionary<ulong, IReadinessHandler> _handlers = [];
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private ulong _nextToken;
    private int _wakePending;
    private int _disposed;

    private EpollPoller(int epoll, int wakeFd, ILogger logger)
    {
        _epoll = epoll;
        _wakeFd = wakeFd;
        _logger = logger;
        _events = (EpollNative.Event*)NativeMemory.Alloc((nuint)(MaxEvents * sizeof(EpollNative.Event)));
        var wake = new EpollNative.Event { Events = EpollNative.In, Data = WakeToken };
        Check(EpollNative.Control(_epoll, EpollNative.CtlAdd, _wakeFd, &wake), "epoll_ctl(eventfd)");
    }

    /// <summary>A poller, or null where epoll is unavailable (not Linux x86-64, or no glibc): the loop then uses pipes.</summary>
    public static EpollPoller? TryCreate(ILogger logger)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || sizeof(EpollNative.Event) != 12)
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

            return new EpollPoller(epoll, wakeFd, logger);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Adds <paramref name="fd"/> with the given interest; returns the token to change or remove it. Loop thread.</summary>
    public ulong Register(int fd, uint events, IReadinessHandler handler)
    {
        var token = _nextToken++;
        var change = new EpollNative.Event { Events = events, Data = token };
        Check(EpollNative.Control(_epoll, EpollNative.CtlAdd, fd, &change), "epoll_ctl(ADD)");
        _handlers[token] = handler;
        return token;
    }

    /// <summary>Changes the interest of a registered descriptor. Loop thread.</summary>
    public void Modify(int fd, ulong token, uint events)
    {
        var change = new EpollNative.Event { Events = events, Data = token };
        Check(EpollNative.Control(_epoll, EpollNative.CtlModify, fd, &change), "epoll_ctl(MOD)");
    }

    /// <summary>Removes a descriptor; call before closing it. Events already fetched for it are dropped. Loop thread.</summary>
    public void Unregister(int fd, ulong token)
    {
        _handlers.Remove(token);
        EpollNative.Control(_epoll, EpollNative.CtlDelete, fd, null);
    }

    /// <summary>Makes a sleeping or about-to-sleep <see cref="Poll"/> return. Any thread; one write per sleep at most.</summary>
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

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever, 0: just look) and dispatches what is ready. Loop thread.</summary>
    public void Poll(int timeoutMs)
    {
        var count = EpollNative.Wait(_epoll, _events, MaxEvents, timeoutMs);
        if (count < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EpollNative.Interrupted)
            {
                throw new InvalidOperationException($"epoll_wait failed with errno {errno}.");
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            var ready = _events[i];
            if (ready.Data == WakeToken)
            {
                DrainWake();
            }
            else if (_handlers.TryGetValue(ready.Data, out var handler))
            {
                Dispatch(handler, ready.Events);
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

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"{call} failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }
}
