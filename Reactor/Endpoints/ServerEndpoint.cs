using System.Net.Security;

namespace ReactiveKv;

/// <summary>A TCP, TLS or Unix server endpoint on a reactor.</summary>
public sealed class ServerEndpoint : IServerEndpoint
{
    private readonly Func<IProtocolFactory, IListeningPort> _listen;

    private ServerEndpoint(string description, Func<IProtocolFactory, IListeningPort> listen)
    {
        Description = description;
        _listen = listen;
    }

    /// <summary>Where it listens, for messages.</summary>
    public string Description { get; }

    /// <summary>A TCP endpoint.</summary>
    public static ServerEndpoint Tcp(Reactor reactor, int port, string interfaceAddress = "127.0.0.1", int backlog = 50) =>
        new($"tcp:{port}:interface={interfaceAddress}", f => reactor.ListenTcp(port, f, backlog, interfaceAddress));

    /// <summary>A TLS endpoint.</summary>
    public static ServerEndpoint Tls(Reactor reactor, int port, SslServerAuthenticationOptions tls, string interfaceAddress = "127.0.0.1", int backlog = 50) =>
        new($"tls:{port}:interface={interfaceAddress}", f => reactor.ListenTls(port, f, tls, backlog, interfaceAddress));

    /// <summary>A Unix socket endpoint.</summary>
    public static ServerEndpoint Unix(Reactor reactor, string path, int backlog = 50) =>
        new($"unix:{path}", f => reactor.ListenUnix(path, f, backlog));

    /// <inheritdoc />
    public Deferred<IListeningPort> Listen(IProtocolFactory factory) => Deferred.Execute(() => _listen(factory));

    /// <inheritdoc />
    public override string ToString() => Description;
}
