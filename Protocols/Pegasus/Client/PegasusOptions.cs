using System.Globalization;

namespace ReactiveKv.Pegasus;

/// <summary>How a <see cref="PegasusClient"/> finds the cluster and how long it waits.</summary>
public sealed record PegasusOptions : IClientOptions
{
    /// <summary>The client's connection monitor, set by the client on the options it keeps, so every connection it makes reports to it.</summary>
    internal ClientConnectionMonitor? Monitor { get; init; }

    /// <inheritdoc />
    ClientConnectionMonitor? IClientOptions.Monitor => Monitor;

    /// <inheritdoc cref="IClientOptions.Loop"/>
    /// <remarks>Not read from configuration: a loop is an object of the running reactor (<c>reactor.Loops[i]</c>).</remarks>
    public EventLoop? Loop { get; init; }

    /// <summary>Meta servers as <c>host:port</c>.</summary>
    public IReadOnlyList<string> MetaServers { get; init; } = ["127.0.0.1:34601"];

    /// <summary>Default table for <see cref="PegasusClient.OpenTable(string?, CancellationToken)"/>.</summary>
    public string? Table { get; init; }

    /// <summary>Deadline of one operation, retries included (Java's default: 1 s).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long connecting to one meta or replica server may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How sessions reconnect while calls wait (they connect on demand): 50 ms doubling up to 1 s by default.</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default with { MaxDelay = TimeSpan.FromSeconds(1) };

    /// <summary>How many calls may wait for one server's connection or for room in its in-flight window.</summary>
    public int MaxBacklog { get; init; } = 100_000;

    /// <summary>How many calls may wait for replies from one server at once.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>
    /// Calls to an unreachable server fail at once by default (as ERR_SESSION_RESET, which the retry policy retries
    /// after a meta refresh); <see cref="DisconnectedBehavior.Queue"/> makes them wait for the server instead.
    /// </summary>
    public DisconnectedBehavior DisconnectedBehavior { get; init; } = DisconnectedBehavior.FailFast;

    /// <summary>Deadline of one meta query attempt.</summary>
    public TimeSpan MetaTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>THFT header version: 0 (Go/Python) or 1 (Java; needed for backup requests).</summary>
    public int HeaderVersion { get; init; } = 1;

    /// <summary>
    /// When set, a read (get, ttl, multi_get) still unanswered after this delay is also sent to a random secondary
    /// as a backup request (header v1); the first answer wins. Results may then be slightly stale.
    /// </summary>
    public TimeSpan? BackupRequestDelay { get; init; }

    /// <summary>How long to wait between retries of one operation.</summary>
    public PegasusRetryPolicy RetryPolicy { get; init; } = PegasusRetryPolicy.Default;

    /// <summary>Shortest time between two configuration refreshes of a table.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Client-side size limits (Java's write limiter), on by default.</summary>
    public PegasusLimits Limits { get; init; } = new();

    /// <summary>Largest reply frame accepted.</summary>
    public long MaxFrameBytes { get; init; } = 64L << 20;

    /// <summary>Parses <c>pegasus://meta1:34601,meta2:34601/table</c>.</summary>
    public static PegasusOptions Parse(string url)
    {
        var parsed = ServiceUrl.Parse(url, "Pegasus", 0, "pegasus");
        if (parsed.Hosts.Count == 0)
        {
            throw parsed.Error("names no meta server (pegasus://meta1:34601,meta2:34601/table)");
        }

        return new PegasusOptions
        {
            MetaServers = [.. parsed.Hosts.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Host}:{h.Port}"))],
            Table = parsed.Path.Length == 0 ? null : parsed.Path,
        };
    }
}
