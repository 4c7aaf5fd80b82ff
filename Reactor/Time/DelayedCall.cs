using System.Reactive.Concurrency;

namespace ReactiveKv;

/// <summary>
/// An <see cref="IDelayedCall"/> on any Rx <see cref="IScheduler"/>: the reactor's loop, or a virtual clock in tests.
/// Rescheduling keeps the same handle, so idle timeouts can call <see cref="Reset"/> cheaply and often.
/// </summary>
public sealed class DelayedCall : IDelayedCall
{
    private readonly IScheduler _clock;
    private readonly Action _action;
    private IDisposable? _pending;
    private DelayedCallState _state;

    private DelayedCall(IScheduler clock, Action action)
    {
        _clock = clock;
        _action = action;
    }

    /// <summary>Schedules <paramref name="action"/> to run after <paramref name="delay"/> on <paramref name="clock"/>.</summary>
    public static DelayedCall Schedule(IScheduler clock, TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(action);
        var call = new DelayedCall(clock, action);
        call.ScheduleAt(clock.Now + Clamp(delay));
        return call;
    }

    /// <inheritdoc />
    public DateTimeOffset DueTime { get; private set; }

    /// <inheritdoc />
    public bool Active => _state == DelayedCallState.Pending;

    /// <inheritdoc />
    public void Cancel()
    {
        ThrowIfInactive();
        _state = DelayedCallState.Cancelled;
        _pending?.Dispose();
        _pending = null;
    }

    /// <inheritdoc />
    public void Reset(TimeSpan fromNow)
    {
        ThrowIfInactive();
        _pending?.Dispose();
        ScheduleAt(_clock.Now + Clamp(fromNow));
    }

    /// <inheritdoc />
    public void Delay(TimeSpan by)
    {
        ThrowIfInactive();
        _pending?.Dispose();
        ScheduleAt(DueTime + by);
    }

    private void ScheduleAt(DateTimeOffset due)
    {
        DueTime = due;
        _pending = _clock.Schedule(this, due, static (_, self) =>
        {
            self.Fire();
            return System.Reactive.Disposables.Disposable.Empty;
        });
    }

    private void Fire()
    {
        if (_state != DelayedCallState.Pending)
        {
            return;
        }

        _state = DelayedCallState.Called;
        _pending = null;
        _action();
    }

    private void ThrowIfInactive()
    {
        if (_state == DelayedCallState.Called)
        {
            throw new AlreadyCalledException("The delayed call has already run.");
        }

        if (_state == DelayedCallState.Cancelled)
        {
            throw new AlreadyCancelledException("The delayed call was already cancelled.");
        }
    }

    private static TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay;

    private enum DelayedCallState
    {
        Pending,
        Called,
        Cancelled,
    }
}
