using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReactiveKv.Examples.Tls;

/// <summary>Certificate pinning: trust one known certificate instead of a certificate authority.</summary>
public static class CertificatePin
{
    /// <summary>
    /// A validation callback that accepts exactly <paramref name="pinned"/> (compared by SHA-256 of its DER bytes),
    /// for the right host name, and nothing else. Only the chain error is forgiven: a self-signed certificate has no
    /// trusted issuer, and the pin stands in for one.
    /// </summary>
    public static RemoteCertificateValidationCallback For(X509Certificate2 pinned)
    {
        var expected = pinned.GetCertHash(HashAlgorithmName.SHA256);
        return (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), expected);
    }
}
