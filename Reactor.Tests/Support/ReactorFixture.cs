using System.Net.Sockets;

namespace ReactiveKv.Tests.Support;

/// <summary>A started reactor for one test, stopped at the end; plus helpers to connect protocols over loopback.</summary>
internal sealed class ReactorFixture : IAsyncDisposable
{
    public ReactorFixture(ReactorOptions? options = null)
    {
        Reactor = new Reactor(options ?? new ReactorOptions { LoopCount = 2 });
        Reactor.Start();
    }

    public Reactor Reactor { get; }

    /// <summary>Listens with <paramref name="server"/> and connects <paramref name="client"/>; returns once both sides are connected.</summary>
    public async Task<(IListeningPort Port, TServer Server)> ConnectPairAsync<TServer>(Func<TServer> server, IProtocol client, TransportOptions? options = null)
        where TServer : RecordingProtocol
    {
        var accepted = new TaskCompletionSource<TServer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = Reactor.ListenTcp(0, new ServerFactory(() =>
        {
            var p = server();
            accepted.TrySetResult(p);
            return p;
        }), options: options);
        await ClientEndpoint.Tcp(Reactor, "127.0.0.1", port.Port, options: options).Connect(new Factory(() => client)).ToTask().Within();
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
}
