using System.Net.Sockets;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Hosting;

public class ShutdownTests
{
    [Fact]
    public async Task AwaitingADeferred_ResumesOffTheLoop_SoStoppingTheReactorAfterwardsCompletes()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        await Deferred.Later(reactor, TimeSpan.FromMilliseconds(1));

        Assert.Null(EventLoop.Current);
        await reactor.DisposeAsync().AsTask().Within();
        Assert.False(reactor.IsRunning);
    }

    [Fact]
    public async Task AwaitingOnALoop_ResumesOnThatLoop()
    {
        await using var fixture = new ReactorFixture();
        var loop = fixture.Reactor.MainLoop;
        var resumed = await loop.InvokeAsync(async () =>
        {
            await Deferred.Later(fixture.Reactor, TimeSpan.FromMilliseconds(1));
            return loop.IsLoopThread;
        }).Unwrap().Within();
        Assert.True(resumed);
    }

    [Fact]
    public async Task StoppingTheReactor_ClosesItsPortsAndConnections()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 2 });
        reactor.Start();
        var server = new RecordingProtocol();
        var port = reactor.ListenTcp(0, new ServerFactory(() => server));
        var client = new RecordingProtocol();
        await ClientEndpoint.Tcp(reactor, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask().Within();
        await server.Made.Task.Within();

        await reactor.StopAsync().Within();

        Assert.IsType<ConnectionDoneException>(await client.Lost.Task.Within());
        await server.Lost.Task.Within();
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await probe.ConnectAsync(System.Net.IPAddress.Loopback, port.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public void AnInitialDelaySetInAnInitializer_IsTheFirstRetrysBase()
    {
        var clock = new ReactiveKv.Testing.TestScheduler();
        var factory = new ReconnectingClientFactory(() => null) { InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0, Factor = 2, Clock = clock };
        Assert.Equal(TimeSpan.FromMilliseconds(50), factory.CurrentDelay);
        factory.Retry(new NoConnector());
        Assert.Equal(TimeSpan.FromMilliseconds(100), factory.DelayHistory.Single());
    }

    private sealed class NoConnector : IConnector
    {
        public System.Net.EndPoint Destination { get; } = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1);

        public EventLoop Loop { get; } = new("none");

        public ConnectorState State => ConnectorState.Disconnected;

        public void Connect()
        {
        }

        public void Disconnect()
        {
        }

        public void StopConnecting()
        {
        }
    }
}
