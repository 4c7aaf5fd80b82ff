using System.Net.Security;

namespace ReactiveKv;

/// <summary>A TCP, TLS or Unix client endpoint on a reactor.</summary>
public sealed class ClientEndpoint : IClientEndpoint
{
    private readonly Func<IClientFactory, IConnector> _connect;

    private ClientEndpoint(string description, Func<IClientFactory, IConnector> connect)
    {
        Description = description;
        _connect = connect;
    }

    /// <summary>What it connects to, for messages.</summary>
    public string Description { get; }

    /// <summary>A TCP endpoint.</summary>
    public static ClientEndpoint Tcp(Reactor reactor, string host, int port, TimeSpan? timeout = null, TransportOptions? options = null) =>
        new($"tcp:{host}:{port}", f => reactor.ConnectTcp(host, port, f, timeout, options));

    /// <summary>A TLS endpoint; the certificate is verified against <paramref name="tls"/>'s target host (default <paramref name="host"/>).</summary>
    public static ClientEndpoint Tls(Reactor reactor, string host, int port, SslClientAuthenticationOptions? tls = null, TimeSpan? timeout = null, TransportOptions? options = null) =>
        new($"tls:{host}:{port}", f => reactor.ConnectTls(host, port, f, tls, timeout, options));

    /// <summary>A Unix socket endpoint.</summary>
    public static ClientEndpoint Unix(Reactor reactor, string path, TimeSpan? timeout = null, TransportOptions? options = null) =>
        new($"unix:{path}", f => reactor.ConnectUnix(path, f, timeout, options));

    /// <inheritdoc />
    public Deferred<IProtocol> Connect(IProtocolFactory factory)
    {
        IConnector? connector = null;
        var result = new Deferred<IProtocol>(_ => connector?.StopConnecting());
        connector = _connect(new OneShotClientFactory(factory, result));
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
