using System.Net.Security;
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
            new ClientTlsSettings(tls.EnabledSslProtocols, tls.CertificateRevocationCheckMode != System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck, [], tls.TargetHost ?? string.Empty));
    }

    public static TlsHandler ServerTls(SslServerAuthenticationOptions tls)
    {
        var certificate = tls.ServerCertificate
            ?? throw new ArgumentException("The DotNetty reactor's TLS needs SslServerAuthenticationOptions.ServerCertificate.", nameof(tls));
        return new TlsHandler(
            stream => new SslStream(stream, leaveInnerStreamOpen: true, tls.RemoteCertificateValidationCallback),
            new ServerTlsSettings(certificate, tls.ClientCertificateRequired, tls.CertificateRevocationCheckMode != System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck, tls.EnabledSslProtocols));
    }
}
