using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ReactiveKv.Tests.Support;

/// <summary>A started reactor for one test, stopped at the end; plus helpers to connect protocols over loopback.</summary>
internal sealed class ReactorFixture : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> Certificate = new(() => ReactiveKv.Examples.Tls.SelfSignedCertificate.Create());

    /// <param name="options">How to build the reactor (default: two loops).</param>
    /// <param name="reactor">"epoll" or "dotnetty"; null takes <c>REACTIVEKV_REACTOR</c> (see <see cref="TestReactors"/>).</param>
    public ReactorFixture(ReactorOptions? options = null, string? reactor = null)
    {
        Reactor = new Reactor(TestReactors.On(reactor, options));
        Reactor.Start();
    }

    public Reactor Reactor { get; }

    /// <summary>The run-time certificate the fixture's TLS servers present.</summary>
    public static X509Certificate2 ServerCertificate => Certificate.Value;

    /// <summary>Listens with <paramref name="server"/> and connects <paramref name="client"/>; returns once both sides are connected.</summary>
    /// <param name="tls">Connect over TLS, with a run-time certificate the client pins.</param>
    public async Task<(IListeningPort Port, TServer Server)> ConnectPairAsync<TServer>(Func<TServer> server, IProtocol client, TransportOptions? options = null, bool tls = false)
        where TServer : RecordingProtocol
    {
        var accepted = new TaskCompletionSource<TServer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new ServerFactory(() =>
        {
            var p = server();
            accepted.TrySetResult(p);
            return p;
        });
        var port = tls
            ? Reactor.ListenTls(0, factory, new SslServerAuthenticationOptions { ServerCertificate = Certificate.Value }, options: options)
            : Reactor.ListenTcp(0, factory, options: options);
        var endpoint = tls
            ? ClientEndpoint.Tls(Reactor, "127.0.0.1", port.Port, PinningOptions(), options: options)
            : ClientEndpoint.Tcp(Reactor, "127.0.0.1", port.Port, options: options);
        await endpoint.Connect(new Factory(() => client)).ToTask().Within();
        var serverProtocol = await accepted.Task.Within();
        await serverProtocol.Made.Task.Within();
        return (port, serverProtocol);
    }

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync() => Reactor.DisposeAsync();

    /// <summary>Client options that trust only <see cref="ServerCertificate"/>.</summary>
    public static SslClientAuthenticationOptions PinningOptions() => new()
    {
        TargetHost = "localhost",
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == Certificate.Value.GetCertHashString(),
    };
}
