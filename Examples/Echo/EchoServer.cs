using System.Net;
using ReactiveKv.Examples.Backends;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Echo;

/// <summary>An echo server on loopback (TCP or TLS): every byte a client sends comes back.</summary>
public sealed class EchoServer : IRunningServer
{
    private readonly ListeningServer _listening;

    private EchoServer(ListeningServer listening) => _listening = listening;

    /// <inheritdoc />
    public IPEndPoint Address => _listening.Address;

    /// <summary>The bound port.</summary>
    public int Port => _listening.Port;

    /// <summary>The connections accepted and still open.</summary>
    public ConnectionSet Connections => _listening.Connections;

    /// <summary>Starts listening on 127.0.0.1 as <paramref name="options"/> say (default: plain TCP on a free port).</summary>
    public static Task<EchoServer> StartAsync(Reactor reactor, EchoServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= new EchoServerOptions();
        var factory = new ServerFactory(() => new EchoProtocol());
        var listening = options.Tls is { } tls
            ? ListeningServer.ListenTls(reactor, options.Port, factory, tls)
            : ListeningServer.ListenTcp(reactor, options.Port, factory);
        return Task.FromResult(new EchoServer(listening));
    }

    /// <summary>Stops accepting; the connections already made stay up.</summary>
    public Task StopListeningAsync() => _listening.StopListeningAsync();

    /// <summary>Stops listening and closes every connection.</summary>
    public ValueTask DisposeAsync() => _listening.DisposeAsync();
}
