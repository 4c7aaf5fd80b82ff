using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Transports;

/// <summary>
/// Runs every TLS test with TLS over each transport: the default reactor's own epoll and its thread-pool pipes, and the
/// DotNetty reactor's TlsHandler.
/// </summary>
public abstract class TlsTransportTests
{
    private static readonly X509Certificate2 ServerCertificate = ReactiveKv.Examples.Tls.SelfSignedCertificate.Create();

    private protected abstract bool NativePolling { get; }

    private protected virtual string Reactor => "epoll";

    private protected ReactorFixture NewFixture() => new(new ReactorOptions { LoopCount = 2, NativePolling = NativePolling }, Reactor);

    [Fact]
    public async Task APinnedCertificate_IsAccepted_AndBytesGoBothWays()
    {
        await using var fixture = NewFixture();
        var server = new TaskCompletionSource<RecordingProtocol>();
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => Echoing(server)), ServerOptions());
        var client = new RecordingProtocol();
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == ServerCertificate.GetCertHashString(),
        };

        await ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port, tls).Connect(new Factory(() => client)).ToTask().Within();
        client.Transport.Write("over tls"u8);
        await client.WhenReceived(8).Within();

        Assert.Equal("over tls"u8.ToArray(), client.Received());
    }

    [Theory]
    [InlineData(System.Security.Authentication.SslProtocols.Tls12)]
    [InlineData(System.Security.Authentication.SslProtocols.Tls13)]
    public async Task FourMegabytes_AreEchoedWhole_InWritesOfEverySize(System.Security.Authentication.SslProtocols protocol)
    {
        await using var fixture = NewFixture();
        var server = new TaskCompletionSource<RecordingProtocol>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverOptions = ServerOptions();
        serverOptions.EnabledSslProtocols = protocol;
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => Echoing(server)), serverOptions);
        var client = new RecordingProtocol();
        var clientOptions = PinningClientOptions();
        clientOptions.EnabledSslProtocols = protocol;
        await ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port, clientOptions).Connect(new Factory(() => client)).ToTask().Within();

        // One write of 3 MiB (many records in one turn), then a thousand small ones: what a stalled or lossy TLS
        // layer would cut short.
        var data = new byte[4 << 20];
        new Random(7).NextBytes(data);
        var big = 3 << 20;
        client.Transport.Write(data.AsSpan(0, big));
        var step = (data.Length - big) / 1000;
        for (var offset = big; offset < data.Length; offset += step)
        {
            client.Transport.Write(data.AsSpan(offset, Math.Min(step, data.Length - offset)));
        }

        await client.WhenReceived(data.Length).Within();
        Assert.True(data.AsSpan().SequenceEqual(client.Received()));
        Assert.Equal(protocol, Assert.IsType<TlsChannel>(Assert.IsAssignableFrom<TransportBase>(client.Transport).Channel).Protocol);
    }

    [Fact]
    public async Task AnUntrustedCertificate_IsRefusedByDefault()
    {
        await using var fixture = NewFixture();
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => new EchoRecording()), ServerOptions());

        var error = await Assert.ThrowsAsync<ConnectException>(() =>
            ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port).Connect(new Factory(() => new RecordingProtocol())).ToTask().Within());
        Assert.Contains("TLS handshake", error.Message);
    }

    [Fact]
    public async Task AWrongPinnedCertificate_IsRefused()
    {
        await using var fixture = NewFixture();
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => new EchoRecording()), ServerOptions());
        var other = ReactiveKv.Examples.Tls.SelfSignedCertificate.Create();
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == other.GetCertHashString(),
        };

        await Assert.ThrowsAsync<ConnectException>(() =>
            ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port, tls).Connect(new Factory(() => new RecordingProtocol())).ToTask().Within());
    }

    [Fact]
    public async Task ClientCertificates_ReachTheServer()
    {
        await using var fixture = NewFixture();
        var clientCertificate = ReactiveKv.Examples.Tls.SelfSignedCertificate.Create("client");
        X509Certificate? seen = null;
        var serverOptions = ServerOptions();
        serverOptions.ClientCertificateRequired = true;
        serverOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen = certificate;
            return certificate?.GetCertHashString() == clientCertificate.GetCertHashString();
        };
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => new EchoRecording()), serverOptions);
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == ServerCertificate.GetCertHashString(),
        };
        var client = new RecordingProtocol();

        await ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port, tls).Connect(new Factory(() => client)).ToTask().Within();
        client.Transport.Write("hi"u8);
        await client.WhenReceived(2).Within();

        Assert.Equal(clientCertificate.GetCertHashString(), seen?.GetCertHashString());
    }

    [Fact]
    public async Task TheTlsLayer_RunsOverTheTransportTheLoopsWereBuiltFor_OnBothEnds()
    {
        await using var fixture = NewFixture();
        var (client, server) = await ConnectEchoAsync(fixture);
        var epoll = NativePolling && OperatingSystem.IsLinux();

        foreach (var side in new RecordingProtocol[] { client, server })
        {
            var tls = Assert.IsType<TlsChannel>(Assert.IsAssignableFrom<TransportBase>(side.Transport).Channel);
            if (Reactor == "dotnetty")
            {
                // The same TLS layer, carried by a DotNetty channel on the DotNetty loop that hosts the connection's loop.
                var carrier = Assert.IsType<ReactiveKv.DotNetty.DotNettyTransport>(tls.Carrier);
                var channel = Assert.IsType<ReactiveKv.DotNetty.DotNettyConnectionChannel>(carrier.Channel);
                Assert.Same(ReactiveKv.DotNetty.DotNettyLoops.ExecutorOf(side.Transport.Loop), channel.Channel.EventLoop);
                Assert.Equal(side.Transport.Loop, tls.Carrier.Loop);
                continue;
            }

            Assert.Equal(epoll, tls.Carrier is PollingSocketTransport);
            Assert.Equal(!epoll, tls.Carrier is StreamTransport);
            Assert.Equal(side.Transport.Loop, tls.Carrier.Loop);
        }

        Assert.Equal(client.Transport.Host, server.Transport.Peer);
    }

    private static async Task<(RecordingProtocol Client, RecordingProtocol Server)> ConnectEchoAsync(ReactorFixture fixture)
    {
        var server = new TaskCompletionSource<RecordingProtocol>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => Echoing(server)), ServerOptions());
        var client = new RecordingProtocol();
        await ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port, PinningClientOptions()).Connect(new Factory(() => client)).ToTask().Within();
        var accepted = await server.Task.Within();
        await accepted.Made.Task.Within();
        return (client, accepted);
    }

    private static SslClientAuthenticationOptions PinningClientOptions() => new()
    {
        TargetHost = "localhost",
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == ServerCertificate.GetCertHashString(),
    };

    private static SslServerAuthenticationOptions ServerOptions() => new() { ServerCertificate = ServerCertificate };

    private static RecordingProtocol Echoing(TaskCompletionSource<RecordingProtocol> created)
    {
        var p = new EchoRecording();
        created.TrySetResult(p);
        return p;
    }

    private sealed class EchoRecording : RecordingProtocol
    {
        public override SequencePosition DataReceived(in System.Buffers.ReadOnlySequence<byte> data)
        {
            Transport.WriteSequence(data);
            return base.DataReceived(data);
        }
    }
}

/// <summary>The TLS tests with TLS over the loops' own epoll transport.</summary>
public sealed class TlsTransportOnEpollTests : TlsTransportTests
{
    private protected override bool NativePolling => true;
}

/// <summary>The TLS tests with TLS over the pipes transport (what non-Linux platforms use).</summary>
public sealed class TlsTransportOnPipesTests : TlsTransportTests
{
    private protected override bool NativePolling => false;
}

/// <summary>The TLS tests on the DotNetty reactor: the reactor's TLS layer over DotNetty channels.</summary>
public sealed class TlsTransportOnDotNettyTests : TlsTransportTests
{
    private protected override bool NativePolling => false;

    private protected override string Reactor => "dotnetty";
}
