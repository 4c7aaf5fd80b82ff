using System.Globalization;
using System.Net.Security;

namespace ReactiveKv.Redis;

/// <summary>How to reach and talk to a Redis server. <see cref="Parse"/> reads <c>redis://</c>, <c>rediss://</c> and <c>unix://</c> URLs.</summary>
public sealed record RedisOptions : IClientOptions
{
    /// <summary>The client's connection monitor, set by the client on the options it keeps, so every connection it makes reports to it.</summary>
    internal ClientConnectionMonitor? Monitor { get; init; }

    /// <inheritdoc />
    ClientConnectionMonitor? IClientOptions.Monitor => Monitor;

    /// <inheritdoc cref="IClientOptions.Loop"/>
    /// <remarks>Not read from configuration: a loop is an object of the running reactor (<c>reactor.Loops[i]</c>).</remarks>
    public EventLoop? Loop { get; init; }

    /// <summary>Host name or address (default 127.0.0.1).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port (default 6379).</summary>
    public int Port { get; init; } = 6379;

    /// <summary>
    /// Every seed endpoint a <c>redis://h:p,h:p</c> URL names (the first is also <see cref="Host"/> and <see cref="Port"/>).
    /// A Redis Cluster is found from any of them; a single server needs none.
    /// </summary>
    public IReadOnlyList<System.Net.DnsEndPoint> Seeds { get; init; } = [];

    /// <summary>
    /// In a Redis Cluster, send read-only commands to a replica of their slot (after READONLY) instead of its
    /// primary; replicas may lag behind. Off by default. URL: <c>read_from_replicas=true</c>.
    /// </summary>
    public bool ReadFromReplicas { get; init; }

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

    /// <summary>
    /// Sentinels to ask for the primary, in the order asked (<c>redis+sentinel://</c>); when set, Host and Port are
    /// ignored and every connection resolves <see cref="SentinelServiceName"/> through them first.
    /// </summary>
    public IReadOnlyList<(string Host, int Port)> Sentinels { get; init; } = [];

    /// <summary>The master name the sentinels monitor (<c>sentinel monitor NAME …</c>); required with <see cref="Sentinels"/>.</summary>
    public string? SentinelServiceName { get; init; }

    /// <summary>Password of the sentinels themselves (their requirepass), which is not the data nodes' <see cref="Password"/>.</summary>
    public string? SentinelPassword { get; init; }

    /// <summary>The server as messages name it: host:port, the socket path, or the sentinel service.</summary>
    public string Describe() => UnixSocket
        ?? (Sentinels.Count > 0 ? $"'{SentinelServiceName}' via sentinels {string.Join(",", Sentinels.Select(s => $"{s.Host}:{s.Port}"))}" : $"{Host}:{Port}");

    /// <summary>
    /// Reads <c>redis+sentinel://[user:password@]sentinel[:port][,sentinel[:port]…]/mastername[/db]</c> (sentinel port
    /// 26379 by default); the user and password are the data nodes', query option <c>sentinel_password</c> the sentinels'.
    /// <c>rediss+sentinel://</c> uses TLS to both.
    /// </summary>
    private static RedisOptions ParseSentinel(string url)
    {
        var parsed = ServiceUrl.Parse(url, "Redis Sentinel", 26379, "redis+sentinel", "rediss+sentinel");
        if (parsed.Hosts.Count == 0)
        {
            throw parsed.Error("names no sentinel (redis+sentinel://host:26379[,host:port…]/mastername[/db])");
        }

        var path = parsed.Path.Split('/');
        if (path[0].Length == 0 || path.Length > 2)
        {
            throw parsed.Error("must name the master after the sentinels (redis+sentinel://host:port/mastername[/db])");
        }

        var options = new RedisOptions
        {
            UseTls = parsed.Scheme == "rediss+sentinel",
            Sentinels = parsed.Hosts,
            SentinelServiceName = path[0],
            SentinelPassword = parsed.QueryValue("sentinel_password"),
            Database = path.Length == 2 ? ParseDatabase(path[1], url) : 0,
        };
        options = parsed.Password is { } password
            ? options with { User = parsed.User, Password = password }
            : options with { Password = parsed.User };
        return ApplyQuery(options, [.. parsed.Query.Where(p => p.Key != "sentinel_password")], url);
    }

    /// <summary>
    /// Writes the members as the compiler-made record <c>ToString</c> would, but with <see cref="Password"/> and
    /// <see cref="SentinelPassword"/> shown as <c>***</c> when set: options end up in logs and exception messages.
    /// </summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        static string Secret(string? value) => value is null ? "" : "***";
        builder.Append(CultureInfo.InvariantCulture, $"Host = {Host}, Port = {Port}, Seeds = [{string.Join(", ", Seeds.Select(s => $"{s.Host}:{s.Port}"))}], ")
            .Append(CultureInfo.InvariantCulture, $"ReadFromReplicas = {ReadFromReplicas}, UnixSocket = {UnixSocket}, Database = {Database}, ")
            .Append(CultureInfo.InvariantCulture, $"User = {User}, Password = {Secret(Password)}, ClientName = {ClientName}, UseTls = {UseTls}, Tls = {Tls}, ")
            .Append(CultureInfo.InvariantCulture, $"PreferResp3 = {PreferResp3}, ConnectTimeout = {ConnectTimeout}, OperationTimeout = {OperationTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"MaxInFlight = {MaxInFlight}, MaxBacklog = {MaxBacklog}, Reconnect = {Reconnect}, DisconnectedBehavior = {DisconnectedBehavior}, ")
            .Append(CultureInfo.InvariantCulture, $"MaxDedicatedConnections = {MaxDedicatedConnections}, Limits = {Limits}, KeepAlive = {KeepAlive}, ClientCache = {ClientCache}, ")
            .Append(CultureInfo.InvariantCulture, $"Sentinels = [{string.Join(", ", Sentinels.Select(s => $"{s.Host}:{s.Port}"))}], SentinelServiceName = {SentinelServiceName}, ")
            .Append(CultureInfo.InvariantCulture, $"SentinelPassword = {Secret(SentinelPassword)}");
        return true;
    }

    /// <summary>The shared connection settings these options map to.</summary>
    public ClientConnectionOptions Connection(bool lazy = false) => ClientConnectionOptions.From(this, lazy);

    /// <summary>
    /// Reads <c>redis://[user:password@]host[:port][/db]</c>, <c>rediss://…</c> (TLS), <c>unix:///path.sock[?db=N]</c>
    /// or <c>redis+sentinel://sentinel[:port][,…]/mastername[/db]</c>;
    /// query options <c>name</c>, <c>timeout</c> (seconds), <c>connect_timeout</c>, <c>protocol=2|3</c>.
    /// </summary>
    /// <exception cref="FormatException">The URL is not a Redis URL; the message says what is wrong.</exception>
    public static RedisOptions Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Contains("+sentinel://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseSentinel(url);
        }

        var parsed = ServiceUrl.Parse(url, "Redis", 6379, "redis", "rediss", "unix");
        var options = parsed.Scheme switch
        {
            "rediss" => new RedisOptions { UseTls = true },
            "unix" => new RedisOptions { UnixSocket = "/" + parsed.Path },
            _ => new RedisOptions(),
        };
        if (options.UnixSocket is null)
        {
            var (host, port) = parsed.Host;
            options = options with
            {
                Host = host,
                Port = port,
                Seeds = parsed.Hosts.Count > 1 ? [.. parsed.Hosts.Select(h => new System.Net.DnsEndPoint(h.Host, h.Port))] : [],
                Database = ParseDatabase(parsed.Path, url),
            };
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
        : throw new FormatException($"'{text}' in '{ServiceUrl.Redact(url)}' is not a database number.");

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
                "protocol" => options with { PreferResp3 = value == "3" ? true : value == "2" ? false : throw new FormatException($"protocol must be 2 or 3 in '{ServiceUrl.Redact(url)}'.") },
                "read_from_replicas" => options with { ReadFromReplicas = value is "true" or "1" ? true : value is "false" or "0" ? false : throw new FormatException($"read_from_replicas must be true or false in '{ServiceUrl.Redact(url)}'.") },
                _ => throw new FormatException($"'{name}' is not a Redis URL option (db, name, timeout, connect_timeout, protocol, read_from_replicas)."),
            };
        }

        return options;
    }

    private static TimeSpan Seconds(string value, string url) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"'{value}' in '{ServiceUrl.Redact(url)}' is not a positive number of seconds.");
}
