namespace ReactiveKv.Testing;

/// <summary>
/// The faults a <see cref="FaultProxy"/> applies, as one immutable snapshot: setters swap the whole snapshot, so a
/// connection's loop never sees half of a change made on another thread.
/// </summary>
internal sealed record FaultSettings
{
    public static readonly FaultSettings None = new();

    public TimeSpan UpstreamLatency { get; init; }

    public TimeSpan DownstreamLatency { get; init; }

    public TimeSpan UpstreamJitter { get; init; }

    public TimeSpan DownstreamJitter { get; init; }

    /// <summary>0 means unlimited.</summary>
    public long BandwidthBytesPerSecond { get; init; }

    /// <summary>Negative means no reset.</summary>
    public long ResetAfterBytes { get; init; } = -1;

    /// <summary>Bumped by every <see cref="FaultProxy.ResetAfterBytes"/> call, so connections restart their count from then.</summary>
    public int ResetGeneration { get; init; }

    public bool BlackHole { get; init; }

    public bool HalfClosed { get; init; }

    public bool SliceWrites { get; init; }

    public TimeSpan SliceDelay { get; init; }

    public TimeSpan Latency(ProxyDirection direction) => direction == ProxyDirection.Upstream ? UpstreamLatency : DownstreamLatency;

    public TimeSpan Jitter(ProxyDirection direction) => direction == ProxyDirection.Upstream ? UpstreamJitter : DownstreamJitter;
}
