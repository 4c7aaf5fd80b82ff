using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReactiveKv;

/// <summary>
/// One event-loop thread: a FIFO of work items plus timers, and an Rx <see cref="IScheduler"/>.
/// Everything a connection does (protocol callbacks, writes, timers) runs here, so protocol code needs no locks.
/// <see cref="CallFromThread"/> (and the <see cref="IScheduler"/> methods) are the thread-safe ways in.
/// </summary>
public sealed partial class EventLoop : IScheduler, IDisposable
{
    [ThreadStatic]
    private static EventLoop? s_current;

    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private bool _ended;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _endedSource = new();
    private readonly PriorityQueue<Timer, (long Due, long Seq)> _timers = new();

    // Cancelled runs still waiting in _timers (approximately: a race with their run only makes a compaction early).
    private int _cancelledTimers;
    private const int CompactAfterCancelledTimers = 1024;
    private readonly List<Action> _endOfTurn = [];
    private readonly List<Action> _endOfTurnRunning = [];
    private readonly IScheduler? _virtualClock;
    private readonly ILogger _logger;
    private readonly Thread? _thread;
    private readonly string _name;
    private readonly bool _nativePolling;
    private IPoller? _poller;
    private long _timerSequence;
    private int _sleeping;
    private int _state;

    /// <summary>Creates a loop; it starts running when <see cref="Start"/> is called.</summary>
    /// <param name="name">Thread name, for diagnostics.</param>
    /// <param name="clock">A virtual clock for tests; null uses the machine's monotonic clock.</param>
    /// <param name="logger">Where unhandled callback errors are logged.</param>
    /// <param name="nativePolling">
    /// Poll sockets from this thread with epoll where available (Linux), so bytes reach protocols without a
    /// thread hop; false, or any other platform, uses receive pumps on the thread pool.
    /// </param>
    public EventLoop(string name = "reactor", IScheduler? clock = null, ILogger? logger = null, bool nativePolling = true)
    {
        _virtualClock = clock;
        _logger = logger ?? NullLogger.Instance;
        _nativePolling = nativePolling && NativePollingAllowed();
        PipeScheduler = new LoopPipeScheduler(this);
        SynchronizationContext = new LoopSynchronizationContext(this);
        _name = name;
        _thread = new Thread(RunLoop) { IsBackground = true, Name = name };
    }

    /// <summary>
    /// Code that awaited a <see cref="Deferred{T}"/> from the thread pool resumes on this loop, Twisted-style, rather
    /// than on the thread pool (see <see cref="ReactorOptions.ResumeAwaitersOnLoop"/>).
    /// </summary>
    public bool ResumeAwaitersOnLoop { get; set; }

    /// <summary>The loop whose thread is the caller's, or null when the caller is on no loop thread.</summary>
    public static EventLoop? Current => s_current;

    /// <summary>True when the calling thread is this loop's thread.</summary>
    public bool IsLoopThread => ReferenceEquals(s_current, this);

    /// <summary>A <see cref="System.IO.Pipelines.PipeScheduler"/> that runs continuations on this loop.</summary>
    public PipeScheduler PipeScheduler { get; }

    /// <summary>A synchronization context that posts to this loop, so <c>await</c> in protocol code resumes here.</summary>
    public SynchronizationContext SynchronizationContext { get; }

    /// <summary>True when this loop polls its sockets itself (epoll) rather than through receive pumps; known once started.</summary>
    public bool UsesNativePolling => _poller?.CanRegisterSockets == true;

    /// <summary>What the loop sleeps in: its epoll set, or a wait handle where it has none; null until started.</summary>
    internal IPoller? Poller => _poller;

    /// <summary>True between <see cref="Start"/> and the end of <see cref="Stop"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == 1;

    /// <summary>True once <see cref="Start"/> was called, even if the loop has stopped since.</summary>
    public bool WasStarted => Volatile.Read(ref _state) != 0;

    /// <summary>Completes when the loop thread has run its last turn and exited; nothing runs on the loop after that.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Cancelled once the loop has run its last turn; a registration (disposable, unlike a task continuation) runs on
    /// the loop thread then. Owners of loop state use it to fail what can no longer be answered.
    /// </summary>
    public CancellationToken Ended => _endedSource.Token;

    /// <summary>The loop's notion of now: the virtual clock's in tests, UTC wall time otherwise.</summary>
    public DateTimeOffset Now => _virtualClock?.Now ?? DateTimeOffset.UtcNow;

    /// <summary>Starts the loop thread. Work posted before this call runs first, in order.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The event loop was already started.");
        }

        if (_host is not null)
        {
            // A hosted loop has no thread or poller of its own: its turns are tasks on the host's executor.
            RequestHostedTurn();
            return;
        }

        _poller = (_nativePolling ? EpollPoller.TryCreate(_logger) : null) ?? (IPoller)new WaitHandlePoller();
        _thread!.Start();
    }

    /// <summary>Asks the loop to finish the work already queued and exit; waits for it unless called from the loop itself.</summary>
    public void Stop()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        if (_host is not null)
        {
            StopHosted();
            return;
        }

        WakeUp();
        if (!IsLoopThread)
        {
            _thread!.Join();
        }
    }

    /// <summary>Queues <paramref name="action"/> to run on the loop thread. Safe from any thread.</summary>
    public void CallFromThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Post(static s => ((Action)s!)(), action);
    }

    /// <summary>Queues a callback with its state on the loop thread without allocating a closure. Safe from any thread.</summary>
    public void Post(Action<object?> callback, object? state)
    {
        _queue.Enqueue(new WorkItem(callback, state));
        if (_host is not null)
        {
            RequestHostedTurn();
            return;
        }

        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0)
        {
            WakeUp();
        }
    }

    // Nothing sleeps before Start, which is when the poller is made.
    private void WakeUp()
    {
        if (_poller is { } poller)
        {
            Interlocked.Increment(ref _wakeUps);
            poller.Wake();
        }
    }

    // REACTIVEKV_NATIVE_POLLING=0 turns epoll off process-wide, to compare or to rule it out when diagnosing.
    private static bool NativePollingAllowed() =>
        Environment.GetEnvironmentVariable("REACTIVEKV_NATIVE_POLLING") is not ("0" or "false");

    /// <summary>Runs <paramref name="action"/> now when on the loop thread, otherwise queues it.</summary>
    public void Execute(Action action)
    {
        if (IsLoopThread)
        {
            action();
        }
        else
        {
            CallFromThread(action);
        }
    }

    /// <summary>Runs <paramref name="func"/> on the loop and returns its result; useful from tests and other threads.</summary>
    public Task<T> InvokeAsync<T>(Func<T> func)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Execute(() =>
        {
            try
            {
                tcs.SetResult(func());
            }
            catch (Exception e)
            {
                tcs.SetException(e);
            }
        });
        return tcs.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the loop and completes when it has run.</summary>
    public Task InvokeAsync(Action action) => InvokeAsync(() =>
    {
        action();
        return true;
    });

    /// <summary>Schedules <paramref name="action"/> on this loop after <paramref name="delay"/> (Twisted's <c>callLater</c>). Loop thread only.</summary>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => DelayedCall.Schedule(this, delay, action);

    /// <summary>
    /// Registers <paramref name="action"/> to run once at the end of the current loop turn, after every queued item
    /// of the turn. Transports use it to flush all writes of a turn in one system call. Loop thread only.
    /// </summary>
    public void RunAtEndOfTurn(Action action)
    {
        ThrowIfNotLoopThread();
        _endOfTurn.Add(action);

        // A host runs its own callbacks (a channel's reads) outside this loop's turns: they need a turn to end theirs.
        if (_host is not null && _endOfTurn.Count == 1 && _hostCallbackDepth == 0)
        {
            RequestHostedTurn();
        }
    }

    /// <summary>Throws <see cref="WrongThreadException"/> unless called on this loop's thread.</summary>
    public void ThrowIfNotLoopThread()
    {
        if (!IsLoopThread)
        {
            throw new WrongThreadException($"This call must be made on the reactor thread '{_name}'; use CallFromThread to get there.");
        }
    }

    /// <inheritdoc />
    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
    {
        var run = new ScheduledRun<TState>(this, state, action);
        Post(static s => ((ScheduledRun)s!).Run(), run);
        return run;
    }

    /// <inheritdoc />
    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        if (dueTime <= TimeSpan.Zero)
        {
            return Schedule(state, action);
        }

        var run = new ScheduledRun<TState>(this, state, action);
        if (_virtualClock is not null)
        {
            var timer = _virtualClock.Schedule(run, dueTime, static (_, r) =>
            {
                r.Loop.Post(static s => ((ScheduledRun)s!).Run(), r);
                return Disposable.Empty;
            });
            run.Timer = timer;
            return run;
        }

        var due = Stopwatch.GetTimestamp() + (long)(dueTime.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
        var timerItem = new Timer(due, run);
        if (IsLoopThread)
        {
            AddTimer(timerItem);
        }
        else
        {
            Post(static s => ((Timer)s!).Run.Loop.AddTimer((Timer)s!), timerItem);
        }

        return run;
    }

    /// <inheritdoc />
    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, dueTime - Now, action);

    /// <summary>Stops the loop. Work posted afterwards is dropped, never run on another thread (except the continuations of awaits that began on it).</summary>
    public void Dispose() => Stop();

    private void AddTimer(Timer timer)
    {
        _timers.Enqueue(timer, (timer.Due, _timerSequence++));
        if (_host is not null)
        {
            ArmHostTimer();
        }
    }

    private void RunLoop()
    {
        s_current = this;
        SynchronizationContext.SetSynchronizationContext(SynchronizationContext);

        // Start made the poller before starting this thread.
        var poller = _poller!;
        while (Volatile.Read(ref _state) == 1)
        {
            RunTurn();
            WaitForWork(poller);
        }

        RunTurn();
        poller.Dispose();
        Volatile.Write(ref _ended, true);
        ReleaseOrphanedContinuations();
        _completion.TrySetResult();
        NotifyEnded();
        s_current = null;
    }

    private void NotifyEnded()
    {
        try
        {
            _endedSource.Cancel();
        }
        catch (AggregateException e)
        {
            _logger.LogError(e, "A callback registered for the end of {Loop} failed", _name);
        }
    }

    /// <summary>
    /// Resumes an <c>await</c> that began on this loop. Unlike other work, a continuation that arrives after the loop
    /// has ended runs on the thread pool: dropping it would leave the awaiting method hanging forever (as code that
    /// awaits the reactor's own disposal from its loop would).
    /// </summary>
    internal void PostContinuation(SendOrPostCallback callback, object? state)
    {
        if (Volatile.Read(ref _ended))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Callback(s.State), (Callback: callback, State: state), preferLocal: false);
            return;
        }

        Post(s_runContinuation, (callback, state));
        if (Volatile.Read(ref _ended))
        {
            ReleaseOrphanedContinuations();
        }
    }

    private static readonly Action<object?> s_runContinuation = static s =>
    {
        var (callback, inner) = ((SendOrPostCallback, object?))s!;
        callback(inner);
    };

    private void ReleaseOrphanedContinuations()
    {
        while (_queue.TryDequeue(out var item))
        {
            if (ReferenceEquals(item.Callback, s_runContinuation))
            {
                ThreadPool.UnsafeQueueUserWorkItem(static i => i.Callback(i.State), item, preferLocal: false);
            }
        }
    }

    private void RunTurn()
    {
        var budget = _queue.Count;
        while (budget-- > 0 && _queue.TryDequeue(out var item))
        {
            Invoke(item.Callback, item.State);
        }

        RunDueTimers();
        RunEndOfTurn();
    }

    private void RunDueTimers()
    {
        if (_timers.Count == 0)
        {
            return;
        }

        CompactTimersIfMostlyCancelled();
        var now = Stopwatch.GetTimestamp();
        while (_timers.TryPeek(out var timer, out var key) && key.Due <= now)
        {
            _timers.Dequeue();
            timer.Run.Dequeued = true;
            Invoke(static s => ((ScheduledRun)s!).Run(), timer.Run);
        }
    }

    /// <summary>
    /// Removal from the timer queue is lazy: a cancelled run waits there until its due time. Timers that are reset or
    /// cancelled long before they fall due (idle timeouts, scanner contexts touched on every batch, per-call
    /// deadlines) made it hold hundreds of thousands of dead entries, growing for as long as the longest delay (5
    /// minutes of a Pegasus soak: 630,000 entries, 50 MiB). Once most of the queue is cancelled it is rebuilt from the
    /// live ones, in O(n) paid for by the n/2 cancellations since the last time.
    /// </summary>
    private void CompactTimersIfMostlyCancelled()
    {
        var cancelled = Volatile.Read(ref _cancelledTimers);
        if (cancelled < CompactAfterCancelledTimers || cancelled * 2L < _timers.Count)
        {
            return;
        }

        Interlocked.Exchange(ref _cancelledTimers, 0);
        var live = new List<(Timer, (long Due, long Seq))>();
        foreach (var (timer, key) in _timers.UnorderedItems)
        {
            if (!timer.Run.IsDisposed)
            {
                live.Add((timer, key));
            }
        }

        _timers.Clear();
        _timers.EnqueueRange(live);
    }

    internal void TimerCancelled() => Interlocked.Increment(ref _cancelledTimers);

    /// <summary>Entries in the loop's own timer queue, cancelled ones included (for tests). Loop thread.</summary>
    internal int QueuedTimers => _timers.Count;

    private void RunEndOfTurn()
    {
        while (_endOfTurn.Count > 0)
        {
            _endOfTurnRunning.AddRange(_endOfTurn);
            _endOfTurn.Clear();
            foreach (var action in _endOfTurnRunning)
            {
                Invoke(static s => ((Action)s!)(), action);
            }

            _endOfTurnRunning.Clear();
        }
    }

    private void Invoke(Action<object?> callback, object? state)
    {
        try
        {
            callback(state);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Unhandled error in a reactor callback on {Loop}", _name);
            ReactorDiagnostics.UnhandledErrors.Add(1);
        }
    }

    private void WaitForWork(IPoller poller)
    {
        if (!_queue.IsEmpty || Volatile.Read(ref _state) != 1)
        {
            // Busy turns still look at the sockets, so a stream of posted work cannot starve I/O.
            poller.Poll(0);
            return;
        }

        var timeout = Timeout.Infinite;
        if (_timers.TryPeek(out _, out var key))
        {
            var ticks = key.Due - Stopwatch.GetTimestamp();
            if (ticks <= 0)
            {
                poller.Poll(0);
                return;
            }

            timeout = (int)Math.Min(int.MaxValue - 1, Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency));
        }

        Interlocked.Exchange(ref _sleeping, 1);
        if (!_queue.IsEmpty || Volatile.Read(ref _state) != 1)
        {
            poller.Poll(0);
        }
        else
        {
            Park(poller, timeout, timeout == Timeout.Infinite ? long.MaxValue : key.Due);
        }

        Interlocked.Exchange(ref _sleeping, 0);
    }

    private readonly record struct WorkItem(Action<object?> Callback, object? State);

    private sealed record Timer(long Due, ScheduledRun Run);

    private abstract class ScheduledRun : IDisposable
    {
        private int _disposed;

        protected ScheduledRun(EventLoop loop) => Loop = loop;

        public EventLoop Loop { get; }

        public IDisposable? Timer { get; set; }

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>Set on the loop when its turn in the timer queue came (whether it then ran or was disposed).</summary>
        public bool Dequeued { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Timer?.Dispose();
                if (Timer is null && !Dequeued)
                {
                    // Still in the loop's own timer queue, where it waits until due: the loop counts them to compact it.
                    Loop.TimerCancelled();
                }

                // A cancelled run stays in the timer queue until its due time (removal there is lazy): let go of what
                // it would have run, or a cancelled 5-minute idle timer keeps its whole connection alive that long.
                Forget();
            }
        }

        public abstract void Run();

        protected abstract void Forget();
    }

    private sealed class ScheduledRun<TState> : ScheduledRun
    {
        // One reference, so a run on the loop racing a dispose elsewhere sees the action with its state or nothing.
        private Payload? _payload;

        public ScheduledRun(EventLoop loop, TState state, Func<IScheduler, TState, IDisposable> action)
            : base(loop) => _payload = new Payload(state, action);

        public override void Run()
        {
            if (Volatile.Read(ref _payload) is { } payload && !IsDisposed)
            {
                payload.Action(Loop, payload.State);
            }
        }

        protected override void Forget() => Volatile.Write(ref _payload, null);

        private sealed record Payload(TState State, Func<IScheduler, TState, IDisposable> Action);
    }
}
