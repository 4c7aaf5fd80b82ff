using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReactiveKv.Amqp;
using ReactiveKv.Amqp.Testing;
using ReactiveKv.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// AMQPS and EXTERNAL against a real broker (issue 13): the broker's certificate is verified by default, a private
/// CA is trusted through a validation callback, and a client certificate logs in as its common name.
/// </summary>
[Trait("Category", "Broker")]
public sealed class AmqpTlsTests(AmqpTlsFixture fixture, ITestOutputHelper output) : IClassFixture<AmqpTlsFixture>, IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _reactor.DisposeAsync();

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Amqps_WithThePrivateCaTrusted_ConnectsDeclaresPublishesAndGets(string host)
    {
        // The target host defaults to the URL's host: the certificate's DNS name, or its IP address entry.
        var options = AmqpOptions.Parse($"amqps://guest:guest@{host}:{fixture.Broker.TlsPort}/") with { Tls = fixture.TrustTestCa() };
        Assert.True(options.UseTls);
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within();

        var channel = connection.CreateChannel(confirms: true);
        var queue = await channel.QueueDeclare("", exclusive: true, autoDelete: true).ToTask().Within();
        await channel.Publish("", queue.Name, "over tls").ToTask().Within();
        var got = await channel.Get(queue.Name, autoAck: true).ToTask().Within();

        Assert.NotNull(got);
        Assert.Equal("over tls", got.BodyText);
        Assert.Contains(await ConnectionsAsync(), c => c is ["guest", "PLAIN", "/", "true"]);
    }

    [Fact]
    public async Task Amqps_WithDefaultOptions_RefusesTheUntrustedCertificate()
    {
        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, fixture.Broker.TlsUrl!).Within());

        output.WriteLine(error.ToString());
        Assert.Contains("TLS handshake", error.Message);
        Assert.Equal(0, error.ReplyCode);
    }

    [Fact]
    public async Task Amqps_WithTheRightCaButAnotherHostName_IsRefused()
    {
        // Trusting the CA is not enough: the callback also rejects a name mismatch, as the default validation does.
        var options = AmqpOptions.Parse($"amqps://guest:guest@127.0.0.1:{fixture.Broker.TlsPort}/")
            with { Tls = fixture.TrustTestCa(targetHost: "not-the-broker.example") };

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within());

        output.WriteLine(error.ToString());
        Assert.Contains("TLS handshake", error.Message);
    }

    [Fact]
    public async Task External_WithAClientCertificate_LogsInAsItsCommonName_FromTheUrl()
    {
        var tls = fixture.TrustTestCa();
        tls.ClientCertificates = [fixture.ClientCertificate];
        var options = AmqpOptions.Parse($"amqps://localhost:{fixture.Broker.TlsPort}/{AmqpTlsFixture.Vhost}?auth_mechanism=external") with { Tls = tls };
        Assert.True(options.UseExternalAuth);
        Assert.Equal(AmqpTlsFixture.Vhost, options.VirtualHost);
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within();

        var channel = connection.CreateChannel();
        await channel.QueueDeclare("tls-external", autoDelete: true).ToTask().Within();
        await channel.Publish("", "tls-external", "as the certificate").ToTask().Within();
        Assert.Equal("as the certificate", (await channel.Get("tls-external", autoAck: true).ToTask().Within())?.BodyText);
        Assert.Contains(await ConnectionsAsync(), c => c is [AmqpTlsFixture.User, "EXTERNAL", AmqpTlsFixture.Vhost, "true"]);

        // The certificate's user's permissions apply: it may configure only tls-* resources.
        var denied = await Assert.ThrowsAsync<AmqpChannelException>(() => connection.CreateChannel().QueueDeclare("elsewhere").ToTask().Within());
        Assert.Equal(403, denied.ReplyCode);
        Assert.Contains(AmqpTlsFixture.User, denied.ReplyText);
    }

    [Fact]
    public async Task External_WithoutAClientCertificate_IsRefused()
    {
        var options = AmqpOptions.Parse($"amqps://localhost:{fixture.Broker.TlsPort}/{AmqpTlsFixture.Vhost}?auth_mechanism=external") with { Tls = fixture.TrustTestCa() };

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within());

        // RabbitMQ offers EXTERNAL on every TLS connection (for the clearer error) and refuses the login without a certificate.
        output.WriteLine(error.ToString());
        Assert.Equal(403, error.ReplyCode);
        Assert.Contains("ACCESS_REFUSED", error.Message);
        Assert.Contains("EXTERNAL", error.Message);
        Assert.False(error.MayHaveExecuted);
    }

    [Fact]
    public async Task External_OverPlainTcp_IsNotOffered_AndFailsBeforeLoggingIn()
    {
        var options = AmqpOptions.Parse($"amqp://127.0.0.1:{fixture.Broker.Port}/?auth_mechanism=external");

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within());

        output.WriteLine(error.ToString());
        Assert.Contains("does not offer EXTERNAL", error.Message);
        Assert.Equal(0, error.ReplyCode);
    }

    [Fact]
    public async Task External_WithACertificateNamingNoUser_IsRefusedWithAccessRefused()
    {
        var tls = fixture.TrustTestCa();
        tls.ClientCertificates = [fixture.StrangerCertificate];
        var options = AmqpOptions.Parse($"amqps://localhost:{fixture.Broker.TlsPort}/?auth_mechanism=external") with { Tls = tls };

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within());

        output.WriteLine(error.ToString());
        Assert.Equal(403, error.ReplyCode);
        Assert.Contains("EXTERNAL", Assert.IsType<AmqpBrokerClosedException>(error.InnerException).Message);
    }

    [Fact]
    public async Task TheLauncher_RefusesHalfATlsSetup_AndExternalWithoutTls()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => RabbitMqBroker.StartAsync(new RabbitMqBrokerOptions { TlsCertificateFile = "/nonexistent/server.pem" }));
        await Assert.ThrowsAsync<ArgumentException>(() => RabbitMqBroker.StartAsync(new RabbitMqBrokerOptions { ExternalAuth = true }));
    }

    /// <summary>The broker's connections as (user, auth_mechanism, vhost, ssl) rows.</summary>
    private async Task<List<string[]>> ConnectionsAsync()
    {
        var output = await fixture.Broker.RunCtlAsync("list_connections", "--quiet", "--no-table-headers", "user", "auth_mechanism", "vhost", "ssl");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line.Split('\t'))];
    }
}

/// <summary>
/// A private CA, a broker certificate it signed (CN=localhost, SAN localhost and 127.0.0.1) and a client certificate
/// (CN=<see cref="User"/>), and a broker with an AMQPS listener offering PLAIN and EXTERNAL, started once for
/// <see cref="AmqpTlsTests"/>.
/// </summary>
public sealed class AmqpTlsFixture : IAsyncLifetime
{
    /// <summary>The client certificate's common name: the user EXTERNAL logs in as.</summary>
    public const string User = "rkv-tls-user";

    /// <summary>The vhost <see cref="User"/> may use (configure tls-* only).</summary>
    public const string Vhost = "tls";

    private DirectoryInfo? _directory;

    public RabbitMqBroker Broker { get; private set; } = null!;

    public X509Certificate2 Ca { get; private set; } = null!;

    public X509Certificate2 ClientCertificate { get; private set; } = null!;

    /// <summary>A client certificate the CA signed for a common name that is no user of the broker.</summary>
    public X509Certificate2 StrangerCertificate { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("rkv-amqp-tls-");
        var directory = _directory.FullName;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ReactiveKv Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = RSA.Create(2048);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        var server = Issue("CN=localhost", serverKey, "1.3.6.1.5.5.7.3.1", san.Build(), notBefore, notAfter);

        ClientCertificate = IssueClient($"CN={User}", notBefore, notAfter);
        StrangerCertificate = IssueClient("CN=rkv-tls-stranger", notBefore, notAfter);

        var caFile = Path.Combine(directory, "ca.pem");
        var certificateFile = Path.Combine(directory, "server.pem");
        var keyFile = Path.Combine(directory, "server.key");
        File.WriteAllText(caFile, Ca.ExportCertificatePem());
        File.WriteAllText(certificateFile, server.ExportCertificatePem());
        File.WriteAllText(keyFile, serverKey.ExportRSAPrivateKeyPem());
        server.Dispose();

        Broker = await RabbitMqBroker.StartAsync(new RabbitMqBrokerOptions
        {
            TlsCertificateFile = certificateFile,
            TlsKeyFile = keyFile,
            TlsCaFile = caFile,
            ExternalAuth = true,
        });
        await Broker.RunCtlAsync("add_user", User, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await Broker.RunCtlAsync("add_vhost", Vhost);
        await Broker.RunCtlAsync("set_permissions", "-p", Vhost, User, "^tls-.*", ".*", ".*");
    }

    public async Task DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        Ca?.Dispose();
        ClientCertificate?.Dispose();
        StrangerCertificate?.Dispose();
        _directory?.Delete(recursive: true);
    }

    /// <summary>
    /// TLS options trusting the test CA the way an application trusts a private CA: the chain is built against it
    /// alone (<see cref="X509ChainTrustMode.CustomRootTrust"/>), and any other error (a name mismatch) still fails.
    /// </summary>
    public SslClientAuthenticationOptions TrustTestCa(string? targetHost = null)
    {
        var ca = Ca;
        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                if (presented is not X509Certificate2 certificate || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }

    private X509Certificate2 IssueClient(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        using var certificate = Issue(subject, key, "1.3.6.1.5.5.7.3.2", null, notBefore, notAfter);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private X509Certificate2 Issue(string subject, RSA key, string usage, X509Extension? san, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        return request.Create(Ca, notBefore, notAfter, serial);
    }
}
