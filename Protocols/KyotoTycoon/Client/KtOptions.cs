using System.Globalization;

namespace ReactiveKv.KyotoTycoon;

/// <summary>Where a <see cref="KtClient"/> connects and how long it waits.</summary>
public sealed record KtOptions : IClientOptions
{
    /// <summary>The client's connection monitor, set by the client on the options it keeps, so every connection it makes reports to it.</summary>
    internal ClientConnectionMonitor? Monitor { get; init; }

    /// <inheritdoc />
    ClientConnectionMonitor? IClientOptions.Monitor => Monitor;

    /// <inheritdoc cref="IClientOptions.Loop"/>
    /// <remarks>Not read from configuration: a loop is an object of the running reactor (<c>reactor.Loops[i]</c>).</remarks>
    public EventLoop? Loop { get; init; }

    /// <summary>Server host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Server port (Kyoto Tycoon's default 1978).</summary>
    public int Port { get; init; } = 1978;

    /// <summary>The <c>DB</c> selector sent with RPC calls (a name, or an index); null for database 0.</summary>
    public string? Database { get; init; }

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of each call, on the reactor clock.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How the client reconnects while calls wait (it connects on first use, and again on demand).</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    /// <summary>How many calls may wait for a connection or for room in the in-flight window.</summary>
    public int MaxBacklog { get; init; } = 100_000;

    /// <summary>How many calls may wait for their replies at once on the pipelined connection.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>Calls made while the server is unreachable fail at once by default, as they always did here; <see cref="DisconnectedBehavior.Queue"/> makes them wait.</summary>
    public DisconnectedBehavior DisconnectedBehavior { get; init; } = DisconnectedBehavior.FailFast;

    /// <summary>Largest reply accepted.</summary>
    public long MaxReplyBytes { get; init; } = 256L << 20;

    /// <summary>Parses <c>kt://host:1978/dbname</c>.</summary>
    public static KtOptions Parse(string url)
    {
        var parsed = ServiceUrl.Parse(url, "Kyoto Tycoon", 1978, "kt");
        var (host, port) = parsed.Hosts.Count == 1 ? parsed.Host : throw parsed.Error("must name one host (kt://host:1978/dbname)");
        return new KtOptions { Host = host, Port = port, Database = parsed.Path.Length == 0 ? null : parsed.Path };
    }

    /// <summary>The shared connection settings these options map to (connecting on first use).</summary>
    public ClientConnectionOptions Connection() => ClientConnectionOptions.From(this, connectLazily: true);

    /// <summary>Replaces the network connect (tests connect through a string transport on virtual time).</summary>
    internal Func<IClientFactory, EventLoop, IConnector>? ConnectWith { get; init; }

    internal string Authority => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
