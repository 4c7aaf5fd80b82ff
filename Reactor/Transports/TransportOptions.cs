namespace ReactiveKv;

/// <summary>Per-connection limits and socket options.</summary>
public sealed record TransportOptions
{
    /// <summary>Default options.</summary>
    public static TransportOptions Default { get; } = new();

    /// <summary>Disable Nagle (default true: request/response protocols want it).</summary>
    public bool NoDelay { get; init; } = true;

    /// <summary>Enable TCP keep-alive probes.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>Idle time before the first keep-alive probe, when <see cref="KeepAlive"/> is on.</summary>
    public TimeSpan? KeepAliveTime { get; init; }

    /// <summary>Unsent bytes above which the registered producer is paused.</summary>
    public long WriteHighWatermark { get; init; } = 1 << 20;

    /// <summary>Unsent bytes below which a paused producer is resumed.</summary>
    public long WriteLowWatermark { get; init; } = 256 << 10;

    /// <summary>Hard cap on unsent bytes; past it the connection is aborted with <see cref="WriteBufferOverflowException"/>.</summary>
    public long MaxPendingWriteBytes { get; init; } = 512L << 20;

    /// <summary>
    /// Most bytes a protocol may leave unconsumed (a partial frame). Past it the connection fails with
    /// <see cref="FrameTooLargeException"/>; it also bounds how much is read ahead of a paused protocol.
    /// </summary>
    public long MaxBufferedReadBytes { get; init; } = 16 << 20;
}
