using System.Net;
using System.Net.Security;
using ReactiveKv.Examples.Backends;

namespace ReactiveKv.Examples.Support;

/// <summary>A listening port plus its connections: disposing it stops listening and closes every connection.</summary>
public sealed class ListeningServer : IRunningServer
{
    private readonly IListeningPort _port;

    private ListeningServer(IListeningPort port, ConnectionSet connections)
    {
        _port = port;
        Connections = connections;
    }

    /// <summary>The bound address, with the real port when 0 was asked for.</summary>
    public IPEndPoint Address => (IPEndPoint)_port.Address;

    /// <summary>The bound port.</summary>
    public int Port => _port.Port;

    /// <summary>The connections accepted and still open.</summary>
    public ConnectionSet Connections { get; }

    /// <summary>Listens on TCP on loopback.</summary>
    public static ListeningServer ListenTcp(Reactor reactor, int port, IProtocolFactory factory)
    {
        var connections = new ConnectionSet();
        return new(reactor.ListenTcp(port, connections.Track(factory)), connections);
    }

    /// <summary>Listens on TLS on loopback.</summary>
    public static ListeningServer ListenTls(Reactor reactor, int port, IProtocolFactory factory, SslServerAuthenticationOptions tls)
    {
        var connections = new ConnectionSet();
        return new(reactor.ListenTls(port, connections.Track(factory), tls), connections);
    }

    /// <summary>Stops accepting; the connections already made stay up.</summary>
    public Task StopListeningAsync() => _port.StopListening().ResultAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopListeningAsync();
        await Connections.CloseAllAsync();
    }
}
