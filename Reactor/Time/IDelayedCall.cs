namespace ReactiveKv;

/// <summary>
/// A call scheduled to run later on a clock (Twisted's <c>IDelayedCall</c>).
/// All members must be used from the thread that owns the clock (the loop thread for a reactor).
/// </summary>
public interface IDelayedCall
{
    /// <summary>When the call is due, on its clock.</summary>
    DateTimeOffset DueTime { get; }

    /// <summary>True until the call has run or has been cancelled.</summary>
    bool Active { get; }

    /// <summary>Unschedules the call. Throws <see cref="AlreadyCalledException"/> or <see cref="AlreadyCancelledException"/> when too late.</summary>
    void Cancel();

    /// <summary>Reschedules the call to run <paramref name="fromNow"/> after the clock's current time.</summary>
    void Reset(TimeSpan fromNow);

    /// <summary>Pushes the call later by <paramref name="by"/>.</summary>
    void Delay(TimeSpan by);
}
