using System.Diagnostics;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReactiveKv;

// Hosting: the loop runs on another reactor's single-threaded executor (DotNetty's IEventLoop) instead of its own thread
// and epoll set. Work posted here is still this loop's FIFO and its timers are still its own queue, so every rule of the
// loop holds; only what runs a turn changes: a task on the host, queued once per batch of posts, and a host timer armed
// for the earliest due timer. The host's own callbacks (a channel's reads) run on the same thread between turns, as
// this loop (Current and IsLoopThread hold there), which is what lets a channel handler call a protocol directly.
public sealed partial class EventLoop
{
    private static readonly Action<object?> s_hostedTurn = static s => ((EventLoop)s!).HostedTurn();
    private static readonly Action<object?> s_hostTimerFired = static s => ((EventLoop)s!).HostTimerFired();

    private readonly ILoopHost? _host;
    private int _turnRequested;
    private bool _inHostedTurn;
    private int _hostCallbackDepth;
    private long _hostTimerDue = long.MaxValue;
    private IDisposable? _hostTimer;

    /// <summary>Creates a loop whose turns run on <paramref name="host"/>'s thread; see <see cref="ILoopHost"/>.</summary>
    internal EventLoop(ILoopHost host, string name, IScheduler? clock = null, ILogger? logger = null)
    {
        _host = host;
        _name = name;
        _virtualClock = clock;
        _logger = logger ?? NullLogger.Instance;
        PipeScheduler = new LoopPipeScheduler(this);
        SynchronizationContext = new LoopSynchronizationContext(this);
    }

    /// <summary>True when the loop runs on a host's executor rather than a thread of its own.</summary>
    public bool IsHosted => _host is not null;

    /// <summary>The executor the loop runs on, or null for a loop with its own thread.</summary>
    internal ILoopHost? Host => _host;

    /// <summary>
    /// Makes the calling thread, the host's, this loop's for good (<see cref="Current"/>, <see cref="IsLoopThread"/>,
    /// the synchronization context). A host thread serves one loop only, so it is set once and never undone; host
    /// callbacks call it on entry in case they run before the loop's first turn.
    /// </summary>
    internal void EnterHostThread()
    {
        if (!ReferenceEquals(s_current, this))
        {
            Debug.Assert(_host is { InHostThread: true }, "only the host's thread can become a hosted loop's");
            s_current = this;
            SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        }
    }

    /// <summary>
    /// A host callback batch begins (a channel's reads, up to its read-complete): what is registered for the end of
    /// the turn meanwhile runs at <see cref="EndHostCallbacks"/>, on this thread, with no turn queued on the host for it.
    /// </summary>
    internal void BeginHostCallbacks()
    {
        EnterHostThread();
        _hostCallbackDepth++;
    }

    /// <summary>The batch <see cref="BeginHostCallbacks"/> began is over: its end-of-turn work (a turn's flush) runs now.</summary>
    internal void EndHostCallbacks()
    {
        if (--_hostCallbackDepth == 0 && !_inHostedTurn)
        {
            RunEndOfTurn();
        }
    }

    private void RequestHostedTurn()
    {
        // Before Start nothing runs (work posted then runs first, on the turn Start requests); after the last turn
        // nothing runs either.
        if (Volatile.Read(ref _state) == 0 || Volatile.Read(ref _ended) || (_inHostedTurn && IsLoopThread))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _turnRequested, 1, 0) == 0)
        {
            _host!.Execute(s_hostedTurn, this);
        }
    }

    private void HostedTurn()
    {
        if (Volatile.Read(ref _ended))
        {
            return;
        }

        EnterHostThread();

        // Cleared first: what is posted during the turn asks for the next one.
        Volatile.Write(ref _turnRequested, 0);
        _inHostedTurn = true;
        try
        {
            RunTurn();
        }
        finally
        {
            _inHostedTurn = false;
        }

        if (Volatile.Read(ref _state) != 1)
        {
            EndHosted();
            return;
        }

        if (!_queue.IsEmpty)
        {
            RequestHostedTurn();
        }

        ArmHostTimer();
    }

    // Keeps one host timer, for the earliest due timer; a later one waits for it (then the next is armed).
    private void ArmHostTimer()
    {
        if (!_timers.TryPeek(out _, out var key) || key.Due >= _hostTimerDue)
        {
            return;
        }

        _hostTimer?.Dispose();
        _hostTimerDue = key.Due;
        var ticks = Math.Max(0, key.Due - Stopwatch.GetTimestamp());
        var delay = TimeSpan.FromTicks((long)(ticks * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)));
        _hostTimer = _host!.Schedule(s_hostTimerFired, this, delay);
    }

    private void HostTimerFired()
    {
        _hostTimer = null;
        _hostTimerDue = long.MaxValue;
        HostedTurn();
    }

    private void StopHosted()
    {
        // The last turn runs what is queued, then ends the loop; a stop from the loop's own thread cannot wait for it.
        _host!.Execute(s_hostedTurn, this);
        if (!IsLoopThread && !_host.InHostThread)
        {
            _completion.Task.GetAwaiter().GetResult();
        }
    }

    private void EndHosted()
    {
        _hostTimer?.Dispose();
        _hostTimer = null;
        Volatile.Write(ref _ended, true);
        ReleaseOrphanedContinuations();
        _completion.TrySetResult();
        NotifyEnded();
    }
}
