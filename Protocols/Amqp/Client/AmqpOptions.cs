using System.Globalization;
using System.Net.Security;

namespace ReactiveKv.Amqp;

/// <summary>
/// Where an <c>AmqpConnection</c> connects, as whom, and what it negotiates. <see cref="Parse"/> reads
/// RabbitMQ's URI form. The password never appears in <see cref="ToString"/>.
/// </summary>
public sealed record AmqpOptions : IClientOptions
{
    /// <summary>The client's connection monitor, set by the client on the options it keeps, so every connection it makes reports to it.</summary>
    internal ClientConnectionMonitor? Monitor { get; init; }

    /// <inheritdoc />
    ClientConnectionMonitor? IClientOptions.Monitor => Monitor;

    /// <inheritdoc cref="IClientOptions.Loop"/>
    /// <remarks>Not read from configuration: a loop is an object of the running reactor (<c>reactor.Loops[i]</c>).</remarks>
    public EventLoop? Loop { get; init; }

    /// <summary>The broker's host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The broker's port (5672; 5671 for TLS).</summary>
    public int Port { get; init; } = 5672;

    /// <summary>Connect over TLS; the broker's certificate is verified unless <see cref="Tls"/> says otherwise.</summary>
    public bool UseTls { get; init; }

    /// <summary>TLS settings (client certificate for EXTERNAL, validation callback); the target host defaults to <see cref="Host"/>.</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>The user for PLAIN authentication.</summary>
    public string UserName { get; init; } = "guest";

    /// <summary>The password for PLAIN authentication.</summary>
    public string Password { get; init; } = "guest";

    /// <summary>Authenticate with EXTERNAL (the TLS client certificate) instead of PLAIN.</summary>
    public bool UseExternalAuth { get; init; }

    /// <summary>The virtual host.</summary>
    public string VirtualHost { get; init; } = "/";

    /// <summary>The heartbeat interval asked for: the lower of this and the broker's offer is used; when either side says 0 the other's value is (RabbitMQ's rule), so heartbeats are off only when both say 0.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest frame asked for, header and end octet included (the lower of this and the broker's offer is used).</summary>
    public uint FrameMax { get; init; } = 131_072;

    /// <summary>The most channels asked for (the lower of this and the broker's offer is used).</summary>
    public ushort ChannelMax { get; init; } = 2047;

    /// <summary>The largest message body accepted from the broker; a larger one fails the connection with a typed error.</summary>
    public long MaxBodySize { get; init; } = 128L << 20;

    /// <summary>The connection name shown in the management UI (client property <c>connection_name</c>).</summary>
    public string? ConnectionName { get; init; }

    /// <summary>How long connecting, TLS and the AMQP handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The default deadline of an operation (a declare, a confirm, a get).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How the connection is made again after a loss (topology and consumers are then recovered).</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    /// <summary>How many operations may wait for the connection, or for room in the window.</summary>
    public int MaxBacklog { get; init; } = 100_000;

    /// <summary>How many operations may await the broker at once: unconfirmed publishes and pending methods (the confirm window).</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>What happens to operations made while the broker is unreachable (default: they wait).</summary>
    public DisconnectedBehavior DisconnectedBehavior { get; init; } = DisconnectedBehavior.Queue;

    /// <summary>Replaces the network connect (tests connect through string transports or a fake broker).</summary>
    internal Func<IClientFactory, EventLoop, IConnector>? ConnectWith { get; init; }

    /// <summary>
    /// Parses <c>amqp://[user[:password]@]host[:port][/vhost][?heartbeat=s&amp;frame_max=n&amp;channel_max=n&amp;connection_timeout=ms&amp;auth_mechanism=external]</c>
    /// (or <c>amqps://</c>) as RabbitMQ's URI spec defines it: parts percent-decoded, <c>%2f</c> for the vhost "/".
    /// As RabbitMQ's own clients do, an absent or empty vhost means "/".
    /// </summary>
    public static AmqpOptions Parse(string url)
    {
        var parsed = ServiceUrl.Parse(url, "AMQP", 0, "amqp", "amqps");
        var tls = parsed.Scheme == "amqps";
        if (parsed.Hosts.Count != 1)
        {
            throw parsed.Error("must name one broker (amqp://user:password@host:5672/vhost)");
        }

        var (host, port) = parsed.Hosts[0];
        var options = new AmqpOptions
        {
            Host = host,
            Port = port == 0 ? (tls ? 5671 : 5672) : port,
            UseTls = tls,
            UserName = parsed.User ?? "guest",
            Password = parsed.Password ?? (parsed.User is null ? "guest" : ""),
            VirtualHost = parsed.Path.Length == 0 ? "/" : parsed.Path,
        };
        foreach (var (name, value) in parsed.Query)
        {
            options = name switch
            {
                "heartbeat" => options with { Heartbeat = TimeSpan.FromSeconds(Number(parsed, name, value, ushort.MaxValue)) },
                "frame_max" => options with { FrameMax = (uint)Number(parsed, name, value, uint.MaxValue) },
                "channel_max" => options with { ChannelMax = (ushort)Number(parsed, name, value, ushort.MaxValue) },
                "connection_timeout" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(Math.Max(1, Number(parsed, name, value, int.MaxValue))) },
                "auth_mechanism" when value.Equals("external", StringComparison.OrdinalIgnoreCase) => options with { UseExternalAuth = true },
                "auth_mechanism" when value.Equals("plain", StringComparison.OrdinalIgnoreCase) => options,
                _ => throw parsed.Error($"has the query parameter '{name}', which is not one of heartbeat, frame_max, channel_max, connection_timeout, auth_mechanism"),
            };
        }

        return options;
    }

    /// <summary>The broker as messages name it: host:port and vhost, never the password.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port} vhost '{VirtualHost}'");

    /// <summary>The shared connection settings of the connection service.</summary>
    public ClientConnectionOptions Connection() => ClientConnectionOptions.From(this, connectLazily: false);

    /// <inheritdoc />
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{UserName}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)} (heartbeat {Heartbeat.TotalSeconds:0} s, frame_max {FrameMax}, channel_max {ChannelMax})";

    private static long Number(ServiceUrl url, string name, string value, long max) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= max
            ? number
            : throw url.Error($"has {name}={value}, which is not a whole number from 0 to {max}");
}
