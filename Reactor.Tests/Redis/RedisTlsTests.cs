using ReactiveKv.Redis.Testing;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

public class RedisTlsTests
{
    [Fact]
    public async Task Rediss_ConnectsWithAVerifiedCertificate_AndRefusesAnUntrustedOne()
    {
        var directory = Directory.CreateTempSubdirectory("rkv-tls-");
        try
        {
            var (certificate, certificatePath, keyPath) = WritePem(directory.FullName);
            await using var server = await RedisServerProcess.StartTlsAsync(certificatePath, keyPath);
            await using var fixture = new ReactorFixture();

            var pinned = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
            };
            var options = RedisOptions.Parse($"rediss://127.0.0.1:{server.Port}") with { Tls = pinned };
            await using (var client = await RedisClient.ConnectAsync(fixture.Reactor, options))
            {
                await client.Db.Set("over", "tls");
                Assert.Equal("tls", await client.Db.Get("over"));
            }

            var refused = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
                await RedisClient.ConnectAsync(fixture.Reactor, $"rediss://127.0.0.1:{server.Port}"));
            Assert.Contains("TLS handshake", refused.Message);
            Assert.Contains("certificate is trusted", refused.Message);
            Assert.DoesNotContain("runs there", refused.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (X509Certificate2 Certificate, string CertificatePath, string KeyPath) WritePem(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "redis.crt");
        var keyPath = Path.Combine(directory, "redis.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificate, certificatePath, keyPath);
    }
}
