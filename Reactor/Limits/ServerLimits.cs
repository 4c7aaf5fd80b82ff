namespace ReactiveKv;

/// <summary>
/// Connection-level limits for a server listener: how many connections it holds, how much each may buffer, and how
/// long an idle or half-sent request may keep one. Applied by <see cref="LimitedServerFactory"/> (connections and
/// timers) and <see cref="ApplyTo"/> (buffer caps, enforced by the transport). The defaults are meant to be safe for
/// an embedded test server reachable by untrusted clients; <see cref="Unlimited"/> turns everything off.
/// </summary>
public sealed record ServerLimits
{
    /// <summary>The defaults: 1024 connections, 64 MiB in and 128 MiB out per connection, 5 min idle, 30 s per request.</summary>
    public static ServerLimits Default { get; } = new();

    /// <summary>No connection cap and no timers; the transport's own buffer caps still apply.</summary>
    public static ServerLimits Unlimited { get; } = new()
    {
        MaxConnections = int.MaxValue,
        IdleTimeout = null,
        RequestTimeout = null,
        MaxBufferedInputBytes = TransportOptions.Default.MaxBufferedReadBytes,
        MaxBufferedOutputBytes = TransportOptions.Default.MaxPendingWriteBytes,
    };

    /// <summary>Most connections open at once per listener; one more is closed as soon as it is accepted.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>A connection with no traffic either way for this long is closed; null never closes an idle connection.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A request whose first bytes arrived must be complete within this long (slow-loris resistance: a client
    /// trickling one byte at a time keeps resetting the idle timer, not this one); null disables it. It measures how
    /// long the protocol leaves input unconsumed, so a pipelined request queued behind a slow one counts too.
    /// </summary>
    public TimeSpan? RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most unconsumed input per connection (a partial request); past it the connection fails. A server raises it to
    /// its own body limit when that is larger (see <see cref="ApplyTo"/>).
    /// </summary>
    public long MaxBufferedInputBytes { get; init; } = 64L << 20;

    /// <summary>Most unsent output per connection (a client that does not read); past it the connection is aborted.</summary>
    public long MaxBufferedOutputBytes { get; init; } = 128L << 20;

    /// <summary>
    /// <paramref name="transport"/> with the buffer caps applied: the transport already enforces both, so the limits
    /// reuse its <see cref="TransportOptions.MaxBufferedReadBytes"/> and <see cref="TransportOptions.MaxPendingWriteBytes"/>.
    /// </summary>
    /// <param name="transport">The options to start from (usually the reactor's).</param>
    /// <param name="largestRequestBytes">The server's own largest request; the input cap is never below it plus a little framing.</param>
    public TransportOptions ApplyTo(TransportOptions transport, long largestRequestBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(transport);

        // A request at the server's own limit must still fit, headers and all.
        var input = Math.Max(MaxBufferedInputBytes, largestRequestBytes + (64 << 10));
        return transport with
        {
            MaxBufferedReadBytes = input,
            MaxPendingWriteBytes = MaxBufferedOutputBytes,
            WriteHighWatermark = Math.Min(transport.WriteHighWatermark, MaxBufferedOutputBytes),
            WriteLowWatermark = Math.Min(transport.WriteLowWatermark, MaxBufferedOutputBytes / 2),
        };
    }
}
