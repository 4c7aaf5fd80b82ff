namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Strictly increasing (millisecond, sequence) stamps from a wall clock that may repeat or step back: a repeated or
/// earlier millisecond takes the next sequence number, and a full sequence moves on to the next millisecond. Update-log
/// timestamps and queue message keys must never repeat (a repeat would overwrite a message). Callers hold a lock.
/// </summary>
internal sealed class MonotonicStamp(long sequencesPerMillisecond)
{
    private long _ms = long.MinValue;
    private long _sequence;

    public (long Ms, long Sequence) Next(long nowMs)
    {
        if (nowMs > _ms)
        {
            _ms = nowMs;
            _sequence = 0;
        }
        else if (++_sequence == sequencesPerMillisecond)
        {
            _ms++;
            _sequence = 0;
        }

        return (_ms, _sequence);
    }
}
