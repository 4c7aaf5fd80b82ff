using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Transports;

public class TlsTransportTests
{
    private static readonly X509Certificate2 ServerCertificate = ReactiveKv.Examples.Tls.SelfSignedCertificate.Create();

    [Fact]
    public async Task APinnedCertificate_IsAccepted_AndBytesGoBothWays()
    {
        await using var fixture = new ReactorFixture();
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

    [Fact]
    public async Task AnUntrustedCertificate_IsRefusedByDefault()
    {
        await using var fixture = new ReactorFixture();
        var port = fixture.Reactor.ListenTls(0, new ServerFactory(() => new EchoRecording()), ServerOptions());

        var error = await Assert.ThrowsAsync<ConnectException>(() =>
            ClientEndpoint.Tls(fixture.Reactor, "127.0.0.1", port.Port).Connect(new Factory(() => new RecordingProtocol())).ToTask().Within());
        Assert.Contains("TLS handshake", error.Message);
    }

    [Fact]
    public async Task AWrongPinnedCertificate_IsRefused()
    {
        await using var fixture = new ReactorFixture();
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
        await using var fixture = new ReactorFixture();
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
