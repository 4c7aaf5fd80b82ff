using System.Net;
using System.Net.Security;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Transports;

/// <summary>
/// Half-close, Twisted's way (<see cref="IHalfCloseableProtocol"/>, <see cref="ITcpTransport.LoseWriteConnection"/>),
/// on every transport: the default reactor's epoll and pipes, plain and under TLS, and the DotNetty reactor, plain and
/// under TLS. The far end is a plain .NET socket (under TLS an SslStream over one), or the reactor itself.
/// </summary>
public abstract class HalfCloseTransportTests
{
    private protected abstract bool NativePolling { get; }

    private protected virtual bool Tls => false;

    private protected virtual string Reactor => "epoll";

    private protected ReactorFixture NewFixture() => new(new ReactorOptions { LoopCount = 2, NativePolling = NativePolling }, Reactor);

    [Fact]
    public async Task APeerFin_IsReadConnectionLost_AndTheHalfCloseableServerCanStillReply()
    {
        await using var fixture = NewFixture();
        var accepted = new TaskCompletionSource<HalfCloseRecording>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = Listen(fixture, () => Accepted(accepted, new HalfCloseRecording()));
        await using var peer = await RawPeer.ConnectAsync(port.Port, Tls);
        var server = await accepted.Task.Within();

        await peer.SendAsync("question"u8.ToArray());
        await server.WhenReceived(8).Within();
        await peer.ShutdownSendAsync();
        await server.ReadLost.Task.Within();

        // Still up for writing, on a later turn: the reply reaches the peer, then the close is its end of stream.
        Assert.False(server.Lost.Task.IsCompleted);
        await server.Transport.Loop.InvokeAsync(() =>
        {
            Assert.False(server.Transport.Disconnecting);
            server.Transport.Write("answer"u8);
            server.Transport.LoseConnection();
        }).Within();

        Assert.Equal("answer"u8.ToArray(), await peer.ReadToEndAsync());
        Assert.IsType<ConnectionDoneException>(await server.Lost.Task.Within());
        Assert.Equal(["made", "data", "readLost", "lost"], server.Events.Distinct());
        Assert.Single(server.Events, e => e == "lost");
        Assert.DoesNotContain("writeLost", server.Events);
    }

    [Fact]
    public async Task LoseWriteConnection_SendsEverythingThenTheEndOfStream_AndReadingGoesOn()
    {
        await using var fixture = NewFixture();
        using var listener = RawPeer.Listen();
        var accepting = RawPeer.AcceptAsync(listener, Tls);
        var client = new HalfCloseRecording();
        await Connect(fixture, ((IPEndPoint)listener.LocalEndPoint!).Port, client);
        await using var peer = await accepting;
        var payload = new byte[1 << 20];
        new Random(3).NextBytes(payload);

        await client.Transport.Loop.InvokeAsync(() =>
        {
            client.Transport.Write(payload);
            ((ITcpTransport)client.Transport).LoseWriteConnection();
            client.Transport.Write("dropped: written after LoseWriteConnection"u8);
        }).Within();

        Assert.Equal(payload, await peer.ReadToEndAsync());
        await client.WriteLost.Task.Within();
        Assert.False(client.Transport.Disconnecting);

        // The other direction is still open.
        await peer.SendAsync("still reading"u8.ToArray());
        await client.WhenReceived(13).Within();
        Assert.Equal("still reading"u8.ToArray(), client.Received());
        Assert.False(client.Lost.Task.IsCompleted);

        // The peer's end of stream closes the second half: the connection is done, once.
        await peer.ShutdownSendAsync();
        await client.ReadLost.Task.Within();
        Assert.IsType<ConnectionDoneException>(await client.Lost.Task.Within());
        Assert.Equal(["made", "writeLost", "data", "readLost", "lost"], client.Events.Distinct());
        Assert.Single(client.Events, e => e == "lost");
    }

    [Fact]
    public async Task APeerFin_ClosesAProtocolThatIsNotHalfCloseable_WithConnectionDone()
    {
        await using var fixture = NewFixture();
        var accepted = new TaskCompletionSource<RecordingProtocol>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = Listen(fixture, () => Accepted(accepted, new RecordingProtocol()));
        await using var peer = await RawPeer.ConnectAsync(port.Port, Tls);
        var server = await accepted.Task.Within();

        await peer.SendAsync("last words"u8.ToArray());
        await peer.ShutdownSendAsync();

        Assert.IsType<ConnectionDoneException>(await server.Lost.Task.Within());
        Assert.Equal("last words"u8.ToArray(), server.Received());
        Assert.Empty(await peer.ReadToEndAsync());
        Assert.Single(server.Events, e => e == "lost");
    }

    [Fact]
    public async Task BothEndsHalfClose_EachReadsTheOthersLastBytes_ThenBothAreDone()
    {
        await using var fixture = NewFixture();
        var client = new HalfCloseRecording();
        var (_, server) = await fixture.ConnectPairAsync(() => new HalfCloseRecording(), client, tls: Tls);

        await client.Transport.Loop.InvokeAsync(() =>
        {
            client.Transport.Write("request"u8);
            ((ITcpTransport)client.Transport).LoseWriteConnection();
        }).Within();
        await server.ReadLost.Task.Within();
        await client.WriteLost.Task.Within();
        Assert.Equal("request"u8.ToArray(), server.Received());

        await server.Transport.Loop.InvokeAsync(() =>
        {
            server.Transport.Write("response"u8);
            ((ITcpTransport)server.Transport).LoseWriteConnection();
        }).Within();

        Assert.IsType<ConnectionDoneException>(await client.Lost.Task.Within());
        Assert.IsType<ConnectionDoneException>(await server.Lost.Task.Within());
        Assert.Equal("response"u8.ToArray(), client.Received());
        Assert.Equal(["made", "writeLost", "data", "readLost", "lost"], client.Events.Distinct());
        Assert.Equal(["made", "data", "readLost", "writeLost", "lost"], server.Events.Distinct());
    }

    private static T Accepted<T>(TaskCompletionSource<T> accepted, T protocol)
    {
        accepted.TrySetResult(protocol);
        return protocol;
    }

    private IListeningPort Listen<T>(ReactorFixture fixture, Func<T> build)
        where T : IProtocol
    {
        var factory = new ServerFactory(() => build());
        return Tls
            ? fixture.Reactor.ListenTls(0, factory, new SslServerAuthenticationOptions { ServerCertificate = ReactorFixture.ServerCertificate })
            : fixture.Reactor.ListenTcp(0, factory);
    }

    private Task Connect(ReactorFixture fixture, int port, IProtocol client)
    {
        var endpoint = Tls
            ? ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port, ReactorFixture.PinningOptions())
            : ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", port);
        return endpoint.Connect(new Factory(() => client)).ToTask().Within();
    }

    private sealed class HalfCloseRecording : RecordingProtocol, IHalfCloseableProtocol
    {
        public TaskCompletionSource ReadLost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource WriteLost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReadConnectionLost()
        {
            Record("readLost");
            ReadLost.TrySetResult();
        }

        public void WriteConnectionLost()
        {
            Record("writeLost");
            WriteLost.TrySetResult();
        }

        private void Record(string what)
        {
            lock (Events)
            {
                Events.Add(what);
            }
        }
    }
}

/// <summary>Half-close on the loops' own epoll transport.</summary>
public sealed class HalfCloseTransportOnEpollTests : HalfCloseTransportTests
{
    private protected override bool NativePolling => true;
}

/// <summary>Half-close on the pipes transport.</summary>
public sealed class HalfCloseTransportOnPipesTests : HalfCloseTransportTests
{
    private protected override bool NativePolling => false;
}

/// <summary>Half-close under TLS (close_notify, then the FIN), with TLS over the epoll transport.</summary>
public sealed class HalfCloseTransportOverTlsOnEpollTests : HalfCloseTransportTests
{
    private protected override bool NativePolling => true;

    private protected override bool Tls => true;
}

/// <summary>Half-close under TLS, with TLS over the pipes transport.</summary>
public sealed class HalfCloseTransportOverTlsOnPipesTests : HalfCloseTransportTests
{
    private protected override bool NativePolling => false;

    private protected override bool Tls => true;
}

/// <summary>Half-close on the DotNetty reactor's channels.</summary>
public sealed class HalfCloseTransportOnDotNettyTests : HalfCloseTransportTests
{
    private protected override bool NativePolling => false;

    private protected override string Reactor => "dotnetty";
}

/// <summary>Half-close under TLS on the DotNetty reactor: the reactor's TLS layer over DotNetty channels.</summary>
public sealed class HalfCloseTransportOverTlsOnDotNettyTests : HalfCloseTransportTests
{
    private protected override bool NativePolling => false;

    private protected override bool Tls => true;

    private protected override string Reactor => "dotnetty";
}
