using System.Net.Security;
using System.Security.Authentication;
using DotNetty.Buffers;
using DotNetty.Handlers.Tls;
using DotNetty.Transport.Channels;

namespace ReactiveKv.DotNetty;

/// <summary>What every connection's pipeline and options are, client or server side.</summary>
internal static class DotNettyChannels
{
    /// <summary>The allocator of every channel: pooled, so received and sent buffers are recycled, not collected.</summary>
    /// <remarks>Settable for leak tests, which use a pool without thread caches so its counts return to zero.</remarks>
    public static IByteBufferAllocator Allocator { get; set; } = PooledByteBufferAllocator.Default;

    public static TlsHandler ClientTls(SslClientAuthenticationOptions tls)
    {
        var validate = tls.RemoteCertificateValidationCallback;
        return new TlsHandler(
            stream => new SslStream(stream, leaveInnerStreamOpen: true, validate),
            new ClientTlsSettings(Protocols(tls.EnabledSslProtocols), tls.CertificateRevocationCheckMode != System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck, ClientCertificates(tls), tls.TargetHost ?? string.Empty));
    }

    private static List<System.Security.Cryptography.X509Certificates.X509Certificate> ClientCertificates(SslClientAuthenticationOptions tls) =>
        tls.ClientCertificates is { } certificates ? [.. certificates.Cast<System.Security.Cryptography.X509Certificates.X509Certificate>()] : [];

    // DotNetty 0.7.6's TlsHandler stalls after a TLS 1.3 handshake on .NET 10 (application data never comes out of its
    // SslStream): the system default, which picks 1.3, is narrowed to 1.2; an explicit choice is kept.
    private static SslProtocols Protocols(SslProtocols requested) => requested == SslProtocols.None ? SslProtocols.Tls12 : requested;

    public static TlsHandler ServerTls(SslServerAuthenticationOptions tls)
    {
        var certificate = tls.ServerCertificate
            ?? throw new ArgumentException("The DotNetty reactor's TLS needs SslServerAuthenticationOptions.ServerCertificate.", nameof(tls));
        return new TlsHandler(
            stream => new SslStream(stream, leaveInnerStreamOpen: true, tls.RemoteCertificateValidationCallback),
            new ServerTlsSettings(certificate, tls.ClientCertificateRequired, tls.CertificateRevocationCheckMode != System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck, Protocols(tls.EnabledSslProtocols)));
    }
}
