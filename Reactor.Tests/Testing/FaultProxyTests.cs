using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

// Not ReactiveKv.Tests.Testing: that namespace would hide ReactiveKv.Testing from every test under ReactiveKv.Tests.
namespace ReactiveKv.Tests.FaultInjection;

/// <summary>Each fault of <see cref="FaultProxy"/> against an echo server on the reactor.</summary>
public class FaultProxyTests
{
    [Fact]
    public async Task WithoutFaults_BytesGoBothWaysUnchanged_AndAreCounted()
    {
        await using var fixture = new ReactorFixture();
        var (server, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var _ = proxy;
        var client = await ConnectClient(fixture.Reactor, proxy);

        var payload = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        client.Transport.Write(payload);
        await client.WhenReceived(payload.Length).Within();

        Assert.Equal(payload, client.Received());
        Assert.Equal(payload.Length, proxy.BytesUpstream);
        Assert.Equal(payload.Length, proxy.BytesDownstream);
        Assert.Equal(1, proxy.ConnectionsAccepted);
        Assert.Equal(1, proxy.ActiveConnections);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task ALargeTransferThroughADelay_ArrivesIntact_AndTheProxyHoldsABoundedAmount()
    {
        await using var fixture = new ReactorFixture();
        var (_, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        proxy.Latency = TimeSpan.FromMilliseconds(20);
        var client = await ConnectClient(fixture.Reactor, proxy);

        // Far more than the queue's limit arrives within one delay: the proxy must pause the sender, not buffer it all.
        var payload = new byte[8 << 20];
        Random.Shared.NextBytes(payload);
        client.Transport.Write(payload);
        await client.WhenReceived(payload.Length).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(payload, client.Received());
        Assert.InRange(proxy.PeakQueuedBytes, 1, 1 << 20);
    }

    [Fact]
    public async Task Latency_HoldsEachDirectionBackOnTheReactorClock()
    {
        var clock = new TestScheduler();
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2, Clock = clock });
        var (_, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        proxy.SetLatency(ProxyDirection.Upstream, TimeSpan.FromSeconds(1));
        proxy.SetLatency(ProxyDirection.Downstream, TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), proxy.GetLatency(ProxyDirection.Downstream));
        var client = await ConnectClient(fixture.Reactor, proxy);

        client.Transport.Write("ping"u8);
        Guard.Until(() => proxy.BytesReadFromClients == 4, "the proxy reads the request");
        clock.AdvanceBy(TimeSpan.FromMilliseconds(999).Ticks);
        Assert.Equal(0, proxy.BytesUpstream);
        clock.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);
        Guard.Until(() => proxy.BytesReadFromServers == 4, "the request is forwarded after 1 s and echoed");

        clock.AdvanceBy(TimeSpan.FromMilliseconds(1999).Ticks);
        Assert.Equal(0, proxy.BytesDownstream);
        Assert.Equal(0, client.ReceivedCount);
        clock.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);
        await client.WhenReceived(4).Within();
        Assert.Equal("ping", Encoding.ASCII.GetString(client.Received()));
    }

    [Fact]
    public async Task LatencyWithJitter_DelaysButKeepsTheOrder()
    {
        await using var fixture = new ReactorFixture();
        var (_, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        proxy.Latency = TimeSpan.FromMilliseconds(100);
        proxy.Jitter = TimeSpan.FromMilliseconds(80);
        var client = await ConnectClient(fixture.Reactor, proxy);

        var watch = Stopwatch.StartNew();
        var expected = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            var line = $"{i};";
            expected.Append(line);
            client.Transport.Write(Encoding.ASCII.GetBytes(line));
        }

        await client.WhenReceived(expected.Length).Within();
        Assert.Equal(expected.ToString(), Encoding.ASCII.GetString(client.Received()));

        // Two crossings of at least 100 - 80 ms each; the reactor clock is the wall clock here.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(40), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Bandwidth_LimitsTheRate()
    {
        await using var fixture = new ReactorFixture();
        var (_, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        proxy.BandwidthBytesPerSecond = 40_000;
        var client = await ConnectClient(fixture.Reactor, proxy);

        var payload = new byte[20_000];
        Random.Shared.NextBytes(payload);
        var watch = Stopwatch.StartNew();
        client.Transport.Write(payload);
        await client.WhenReceived(payload.Length).Within();

        // 20 kB at 40 kB/s is 0.5 s each way; the echo streams back while the rest is still going up, so the
        // crossings overlap and the round trip takes a little over 0.5 s.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"took {watch.Elapsed}");
        Assert.Equal(payload, client.Received());
    }

    [Fact]
    public async Task ResetAfterBytes_CutsTheReplyMidFrame_AndResetsBothSides()
    {
        await using var fixture = new ReactorFixture();
        var (server, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        var client = await ConnectClient(fixture.Reactor, proxy);
        client.Transport.Write("warm"u8);
        await client.WhenReceived(4).Within();

        // Counted from the call: the 4 bytes already forwarded do not count.
        proxy.ResetAfterBytes(10);
        client.Transport.Write(Encoding.ASCII.GetBytes(new string('x', 100)));

        var reason = await client.Lost.Task.Within();
        Assert.IsNotType<ConnectionDoneException>(reason);
        Assert.Equal(14, proxy.BytesDownstream);
        Assert.True(client.ReceivedCount <= 14);
        var serverReason = await server.Connections.Single().Lost.Task.Within();
        Assert.IsNotType<ConnectionDoneException>(serverReason);
        Guard.Until(() => proxy.ActiveConnections == 0, "the proxy forgets the connection");

        // Still in force for new connections, until healed.
        var second = await ConnectClient(fixture.Reactor, proxy);
        second.Transport.Write(Encoding.ASCII.GetBytes(new string('y', 100)));
        Assert.IsNotType<ConnectionDoneException>(await second.Lost.Task.Within());
        Assert.Equal(24, proxy.BytesDownstream);

        proxy.Heal();
        var healed = await ConnectClient(fixture.Reactor, proxy);
        healed.Transport.Write(Encoding.ASCII.GetBytes(new string('z', 100)));
        await healed.WhenReceived(100).Within();
    }

    [Fact]
    public async Task BlackHole_ReadsButForwardsNothing_UntilHealed()
    {
        await using var fixture = new ReactorFixture();
        var (server, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        proxy.BlackHole = true;
        var client = await ConnectClient(fixture.Reactor, proxy);

        client.Transport.Write("lost"u8);
        Guard.Until(() => proxy.BytesReadFromClients == 4, "the proxy reads what the client sends");
        Assert.Equal(0, proxy.BytesUpstream);

        proxy.Heal();
        client.Transport.Write("kept"u8);
        await client.WhenReceived(4).Within();

        // The echo server never saw the black-holed bytes: what comes back is only what was sent after healing.
        Assert.Equal("kept", Encoding.ASCII.GetString(client.Received()));
        Assert.Equal("kept", Encoding.ASCII.GetString(server.Connections.Single().Received()));
        Assert.Equal(8, proxy.BytesReadFromClients);
    }

    [Fact]
    public async Task BlackHole_DropsRepliesAlready()
    {
        await using var fixture = new ReactorFixture();
        var (server, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        var client = await ConnectClient(fixture.Reactor, proxy);
        client.Transport.Write("a"u8);
        await client.WhenReceived(1).Within();

        // Set while the connection is open: the request is dropped on the way up, nothing comes back.
        proxy.BlackHole = true;
        client.Transport.Write("b"u8);
        Guard.Until(() => proxy.BytesReadFromClients == 2, "the proxy reads the second byte");
        Assert.Equal(1, proxy.BytesUpstream);
        Assert.Equal(1, server.Connections.Single().ReceivedCount);
        Assert.False(client.Lost.Task.IsCompleted);
    }

    [Fact]
    public async Task HalfClose_SendsEndOfStreamToTheClient_AndStillForwardsWhatItSends()
    {
        await using var fixture = new ReactorFixture();
        var (server, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(proxy.Endpoint).WaitAsync(Guard.Timeout);
        await socket.SendAsync("a"u8.ToArray());
        var buffer = new byte[16];
        Assert.Equal(1, await socket.ReceiveAsync(buffer).Within());

        proxy.HalfClose();
        Assert.True(proxy.IsHalfClosed);
        Assert.Equal(0, await socket.ReceiveAsync(buffer).Within());

        // Our write side is still open: the server gets these, but its echo has nowhere to go.
        await socket.SendAsync("bc"u8.ToArray());
        var upstream = server.Connections.Single();
        await upstream.WhenReceived(3).Within();
        Assert.Equal("abc", Encoding.ASCII.GetString(upstream.Received()));
        Guard.Until(() => proxy.BytesReadFromServers == 3, "the echo of bc reaches the proxy");
        Assert.Equal(1, proxy.BytesDownstream);
    }

    [Fact]
    public async Task SliceWrites_ForwardsOneByteAtATime_AndTheBytesArriveIntact()
    {
        await using var fixture = new ReactorFixture();
        var (server, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        proxy.SliceWrites = true;
        proxy.SliceDelay = TimeSpan.FromMilliseconds(1);
        var client = await ConnectClient(fixture.Reactor, proxy);

        var payload = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
        client.Transport.Write(payload);
        await client.WhenReceived(payload.Length).Within();

        Assert.Equal(payload, client.Received());

        // One write per byte each way; a millisecond apart, the server reads the request in many pieces rather than one.
        Assert.Equal(payload.Length, proxy.WritesUpstream);
        Assert.Equal(payload.Length, proxy.WritesDownstream);
        Assert.True(server.Connections.Single().Events.Count(e => e == "data") >= 4);
    }

    [Fact]
    public async Task CutAll_ResetsEveryConnection_AndNewOnesAreAccepted()
    {
        await using var fixture = new ReactorFixture();
        var (_, proxy) = await StartEchoBehindProxy(fixture.Reactor);
        await using var __ = proxy;
        var clients = new List<RecordingProtocol>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await ConnectClient(fixture.Reactor, proxy));
        }

        Guard.Until(() => proxy.ActiveConnections == 3, "three connections through the proxy");
        proxy.CutAll();
        foreach (var client in clients)
        {
            Assert.IsNotType<ConnectionDoneException>(await client.Lost.Task.Within());
        }

        Guard.Until(() => proxy.ActiveConnections == 0, "the proxy forgets them");
        var next = await ConnectClient(fixture.Reactor, proxy);
        next.Transport.Write("again"u8);
        await next.WhenReceived(5).Within();
        Assert.Equal(4, proxy.ConnectionsAccepted);
    }

    [Fact]
    public async Task AnUpstreamThatRefuses_ClosesTheClient()
    {
        await using var fixture = new ReactorFixture();
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", ReactorFixture.FreePort());
        var client = new RecordingProtocol();

        // The proxy accepts, then resets the client when the upstream refuses: the reset can reach the client while
        // its own connect is still finishing (a ConnectException) or after (the connection is lost).
        try
        {
            await ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", proxy.Port).Connect(new Factory(() => client)).ToTask().Within();
            await client.Lost.Task.Within();
        }
        catch (ConnectException)
        {
        }

        Guard.Until(() => proxy.ConnectionsAccepted == 1 && proxy.ActiveConnections == 0, "the proxy drops the connection");
    }

    [Fact]
    public async Task OnlyLoopbackUpstreams()
    {
        await using var fixture = new ReactorFixture();
        await Assert.ThrowsAsync<ArgumentException>(() => FaultProxy.StartAsync(fixture.Reactor, "192.0.2.1", 80));
    }

    internal static async Task<(EchoServer Server, FaultProxy Proxy)> StartEchoBehindProxy(Reactor reactor)
    {
        var server = new EchoServer();
        var port = reactor.ListenTcp(0, new ServerFactory(server.Accept));
        return (server, await FaultProxy.StartAsync(reactor, "127.0.0.1", port.Port));
    }

    internal static async Task<RecordingProtocol> ConnectClient(Reactor reactor, FaultProxy proxy)
    {
        var client = new RecordingProtocol();
        await ClientEndpoint.Tcp(reactor, "127.0.0.1", proxy.Port).Connect(new Factory(() => client)).ToTask().Within();
        return client;
    }

    /// <summary>An echo server that records what each connection received.</summary>
    internal sealed class EchoServer
    {
        private readonly List<EchoingRecorder> _connections = [];

        public int Accepted
        {
            get
            {
                lock (_connections)
                {
                    return _connections.Count;
                }
            }
        }

        public IReadOnlyList<EchoingRecorder> Connections
        {
            get
            {
                lock (_connections)
                {
                    return [.. _connections];
                }
            }
        }

        public IProtocol Accept()
        {
            var connection = new EchoingRecorder();
            lock (_connections)
            {
                _connections.Add(connection);
            }

            return connection;
        }
    }

    /// <summary>Records like <see cref="RecordingProtocol"/> and writes everything back.</summary>
    internal sealed class EchoingRecorder : RecordingProtocol
    {
        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            base.DataReceived(data);
            Transport.WriteSequence(data);
            return data.End;
        }
    }
}
