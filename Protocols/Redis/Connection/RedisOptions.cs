using System.Globalization;
using System.Net.Security;

namespace ReactiveKv.Redis;

/// <summary>How to reach and talk to a Redis server. <see cref="Parse"/> reads <c>redis://</c>, <c>rediss://</c> and <c>unix://</c> URLs.</summary>
public sealed record RedisOptions : IClientOptions
{
    /// <summary>Host name or address (default 127.0.0.1).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port (default 6379).</summary>
    public int Port { get; init; } = 6379;

    /// <summary>A Unix socket path; when set, Host and Port are ignored.</summary>
    public string? UnixSocket { get; init; }

    /// <summary>Database selected for commands that do not name one (default 0).</summary>
    public int Database { get; init; }

    /// <summary>ACL user name (Redis 6+); null authenticates as <c>default</c> when a password is set.</summary>
    public string? User { get; init; }

    /// <summary>Password for AUTH.</summary>
    public string? Password { get; init; }

    /// <summary>Name given with CLIENT SETNAME (visible in CLIENT LIST).</summary>
    public string? ClientName { get; init; }

    /// <summary>Use TLS; certificates are verified unless <see cref="Tls"/> says otherwise.</summary>
    public bool UseTls { get; init; }

    /// <summary>TLS options (target host, validation callback, client certificates).</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>Try RESP3 with HELLO 3 first, falling back to RESP2 (default true).</summary>
    public bool PreferResp3 { get; init; } = true;

    /// <summary>Connect timeout on the reactor clock.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default time a command may wait for its reply, from when it is issued, on the reactor clock.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Commands written and not yet answered, at most; more wait in the backlog (backpressure).</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>Commands waiting to be written (during reconnects or above <see cref="MaxInFlight"/>), at most; past it commands fail at once.</summary>
    public int MaxBacklog { get; init; } = 100_000;

    /// <summary>How the client reconnects after a loss: 50 ms doubling up to 5 s by default.</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    /// <summary>What happens to commands made while Redis is unreachable: wait in the backlog (default) or fail at once.</summary>
    public DisconnectedBehavior DisconnectedBehavior { get; init; } = DisconnectedBehavior.Queue;

    /// <summary>Dedicated connections for blocking commands and WATCH transactions, at most.</summary>
    public int MaxDedicatedConnections { get; init; } = 16;

    /// <summary>Parser limits (bulk and aggregate sizes).</summary>
    public RespLimits Limits { get; init; } = RespLimits.Default;

    /// <summary>TCP keep-alive on the connections.</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>
    /// Client-side caching of GET/GetBytes/Get&lt;T&gt; on the shared connection (CLIENT TRACKING, Redis 6+, RESP3 only);
    /// null (the default) turns it off. See <see cref="RedisClient.Cache"/>.
    /// </summary>
    public RedisClientCacheOptions? ClientCache { get; init; }

    /// <summary>Replaces the network connect (tests connect through a string transport on virtual time).</summary>
    internal Func<IClientFactory, EventLoop, IConnector>? ConnectWith { get; init; }

    /// <summary>The server as messages name it: host:port, or the socket path.</summary>
    public string Describe() => UnixSocket ?? $"{Host}:{Port}";

    /// <summary>The shared connection settings these options map to.</summary>
    public ClientConnectionOptions Connection(bool lazy = false) => ClientConnectionOptions.From(this, lazy);

    /// <summary>
    /// Reads <c>redis://[user:password@]host[:port][/db]</c>, <c>rediss://…</c> (TLS) or <c>unix:///path.sock[?db=N]</c>;
    /// query options <c>name</c>, <c>timeout</c> (seconds), <c>connect_timeout</c>, <c>protocol=2|3</c>.
    /// </summary>
    /// <exception cref="FormatException">The URL is not a Redis URL; the message says what is wrong.</exception>
    public static RedisOptions Parse(string url)
    {
        var parsed = ServiceUrl.Parse(url, "Redis", 6379, "redis", "rediss", "unix");
        var options = parsed.Scheme switch
        {
            "rediss" => new RedisOptions { UseTls = true },
            "unix" => new RedisOptions { UnixSocket = "/" + parsed.Path },
            _ => new RedisOptions(),
        };
        if (options.UnixSocket is null)
        {
            var (host, port) = parsed.Hosts.Count == 1 ? parsed.Host : throw parsed.Error("must name one host (redis://host:port/db)");
            options = options with { Host = host, Port = port, Database = ParseDatabase(parsed.Path, url) };
        }

        // redis://secret@host means a password with no user name, as redis-cli and redis-py read it.
        options = parsed.Password is { } password
            ? options with { User = parsed.User, Password = password }
            : options with { Password = parsed.User };
        return ApplyQuery(options, parsed.Query, url);
    }

    private static int ParseDatabase(string text, string url) =>
        text.Length == 0 ? 0
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var db) ? db
        : throw new FormatException($"'{text}' in '{url}' is not a database number.");

    private static RedisOptions ApplyQuery(RedisOptions options, IReadOnlyList<KeyValuePair<string, string>> query, string url)
    {
        foreach (var (name, value) in query)
        {
            options = name switch
            {
                "db" => options with { Database = ParseDatabase(value, url) },
                "name" => options with { ClientName = value },
                "timeout" => options with { OperationTimeout = Seconds(value, url) },
                "connect_timeout" => options with { ConnectTimeout = Seconds(value, url) },
                "protocol" => options with { PreferResp3 = value == "3" ? true : value == "2" ? false : throw new FormatException($"protocol must be 2 or 3 in '{url}'.") },
                _ => throw new FormatException($"'{name}' is not a Redis URL option (db, name, timeout, connect_timeout, protocol)."),
            };
        }

        return options;
    }

    private static TimeSpan Seconds(string value, string url) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"'{value}' in '{url}' is not a positive number of seconds.");
}
