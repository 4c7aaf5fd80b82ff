using System.Net.Security;
using System.Security.Authentication;

namespace ReactiveKv.Tests.Transports;

[Trait("Category", "Unit")]
public class TlsClientOptionsTests
{
    [Fact]
    public void WithoutATargetHost_ACopyNamesTheHost_AndTheCallersOptionsStayUnchanged()
    {
        RemoteCertificateValidationCallback callback = (_, _, _, _) => true;
        var shared = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = callback, EnabledSslProtocols = SslProtocols.Tls13 };

        var first = TlsClientOptions.ForHost(shared, "a.example");
        var second = TlsClientOptions.ForHost(shared, "b.example");

        Assert.Null(shared.TargetHost);
        Assert.Equal(("a.example", "b.example"), (first.TargetHost, second.TargetHost));
        Assert.Same(callback, second.RemoteCertificateValidationCallback);
        Assert.Equal(SslProtocols.Tls13, second.EnabledSslProtocols);
    }

    [Fact]
    public void ATargetHostGiven_IsKept() =>
        Assert.Equal("pinned", TlsClientOptions.ForHost(new SslClientAuthenticationOptions { TargetHost = "pinned" }, "other").TargetHost);

    [Fact]
    public void AFailedTlsHandshake_NamesADnsDestinationAsHostAndPort()
    {
        var error = ChannelOpener.TranslateConnectError(new AuthenticationException("untrusted"), new System.Net.DnsEndPoint("localhost", 5671));

        Assert.Equal("The TLS handshake with localhost:5671 failed: untrusted", error.Message);
    }
}
