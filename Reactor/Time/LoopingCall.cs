using System.Reactive;
using System.Reactive.Concurrency;

namespace ReactiveKv;

/// <summary>
/// Calls a function every interval on a clock (Twisted's <c>task.LoopingCall</c>). Beats missed because the clock
/// jumped or the work was slow are skipped, not run in a burst; <see cref="SkippedBeats"/> counts them and the
/// function can receive how many intervals passed since its last run. When the function returns an observable,
/// the next run waits for it.
/// </summary>
public sealed class LoopingCall
{
    private readonly IScheduler _clock;
    private readonly Func<long, IObservable<Unit>?> _work;
    private Deferred<Unit>? _completion;
    private IDelayedCall? _call;
    private long _startTicks;
    private long? _lastTicks;
    private bool _runAtStart;

    /// <summary>Creates a looping call of <paramref name="work"/>, which receives the number of intervals elapsed since its previous run.</summary>
    public LoopingCall(IScheduler clock, Func<long, IObservable<Unit>?> work)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _work = work ?? throw new ArgumentNullException(nameof(work));
    }

    /// <summary>A looping call of a plain action.</summary>
    public static LoopingCall Create(IScheduler clock, Action action) => new(clock, _ =>
    {
        action();
        return null;
    });

    /// <summary>A looping call that is told how many intervals elapsed since its last run (Twisted's <c>withCount</c>).</summary>
    public static LoopingCall WithCount(IScheduler clock, Action<long> action) => new(clock, count =>
    {
        action(count);
        return null;
    });

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/> (or a failure).</summary>
    public bool Running { get; private set; }

    /// <summary>The interval given to <see cref="Start"/>.</summary>
    public TimeSpan Interval { get; private set; }

    /// <summary>Runs of the function so far.</summary>
    public long CallCount { get; private set; }

    /// <summary>Beats that passed without a run because the previous run or the clock was late.</summary>
    public long SkippedBeats { get; private set; }

    /// <summary>
    /// Starts calling every <paramref name="interval"/>, first at once when <paramref name="now"/>. The result fires
    /// when <see cref="Stop"/> is called, or fails with the function's error (which stops the loop).
    /// </summary>
    public Deferred<Unit> Start(TimeSpan interval, bool now = true)
    {
        if (Running)
        {
            throw new InvalidOperationException("The looping call is already running.");
        }

        if (interval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The interval cannot be negative.");
        }

        Running = true;
        Interval = interval;
        _completion = new Deferred<Unit>();
        _startTicks = _clock.Now.UtcTicks;
        _lastTicks = null;
        _runAtStart = now;
        var completion = _completion;
        if (now)
        {
            Run();
        }
        else
        {
            ScheduleFrom(_startTicks);
        }

        return completion;
    }

    /// <summary>Stops; the result of <see cref="Start"/> fires.</summary>
    public void Stop()
    {
        if (!Running)
        {
            throw new InvalidOperationException("The looping call is not running.");
        }

        Running = false;
        if (_call is { Active: true } call)
        {
            call.Cancel();
        }

        _call = null;
        _completion!.TryCallback(Unit.Default);
    }

    /// <summary>Restarts the schedule from now, as if started now without an immediate run.</summary>
    public void Reset()
    {
        if (!Running)
        {
            throw new InvalidOperationException("The looping call is not running.");
        }

        if (_call is { Active: true } call)
        {
            call.Cancel();
        }

        _startTicks = _clock.Now.UtcTicks;
        _lastTicks = null;
        _runAtStart = false;
        ScheduleFrom(_startTicks);
    }

    private void Run()
    {
        _call = null;
        IObservable<Unit>? pending;
        try
        {
            CallCount++;
            pending = _work(CountIntervals());
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        if (pending is null)
        {
            Next();
            return;
        }

        pending.Subscribe(_ => { }, Fail, Next);
    }

    private void Next()
    {
        if (Running)
        {
            ScheduleFrom(_clock.Now.UtcTicks);
        }
    }

    private void Fail(Exception error)
    {
        Running = false;
        _completion!.TryErrback(error);
    }

    private long CountIntervals()
    {
        var now = _clock.Now.UtcTicks;
        var interval = Interval.Ticks;
        if (interval == 0)
        {
            _lastTicks = now;
            return 1;
        }

        var last = _lastTicks ?? (_runAtStart ? _startTicks - interval : _startTicks);
        _lastTicks = now;
        var count = IntervalOf(now) - IntervalOf(last);
        if (count > 1)
        {
            SkippedBeats += count - 1;
        }

        return count;
    }

    private long IntervalOf(long ticks) => (long)Math.Floor((ticks - _startTicks) / (double)Interval.Ticks);

    private void ScheduleFrom(long whenTicks)
    {
        var interval = Interval.Ticks;
        var delay = interval == 0 ? 0 : interval - ((whenTicks - _startTicks) % interval);
        _call = _clock.CallLater(TimeSpan.FromTicks(delay), Run);
    }
}
