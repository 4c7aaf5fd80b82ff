using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ReactiveKv;

/// <summary>
/// Endpoints from strings, as Twisted's <c>clientFromString</c> / <c>serverFromString</c>:
/// <c>tcp:host=127.0.0.1:port=6379[:timeout=5]</c>, <c>tls:host=h:port=p[:servername=n][:timeout=s]</c>,
/// <c>unix:path=/tmp/s.sock</c>; servers <c>tcp:8080[:interface=127.0.0.1][:backlog=50]</c>,
/// <c>tls:8443:certificate=server.pem[:privateKey=key.pem][:password=...]</c> (PEM, or PKCS#12 without privateKey),
/// <c>unix:/tmp/s.sock</c>. Bad strings throw <see cref="EndpointSyntaxException"/> naming the problem.
/// </summary>
public static class Endpoints
{
    /// <summary>Parses a client endpoint string.</summary>
    public static ClientEndpoint ClientFromString(Reactor reactor, string description)
    {
        var d = EndpointDescription.Parse(description);
        ClientEndpoint endpoint;
        switch (d.Type)
        {
            case "tcp":
                endpoint = ClientEndpoint.Tcp(reactor, d.Required("host", 0), d.Port("port", 1), d.Seconds("timeout"));
                d.RejectUnknown(2);
                break;
            case "tls":
            case "ssl":
                var host = d.Required("host", 0);
                var port = d.Port("port", 1);
                var tls = new SslClientAuthenticationOptions { TargetHost = d.Optional("servername") ?? host };
                endpoint = ClientEndpoint.Tls(reactor, host, port, tls, d.Seconds("timeout"));
                d.RejectUnknown(2);
                break;
            case "unix":
                endpoint = ClientEndpoint.Unix(reactor, d.Required("path", 0), d.Seconds("timeout"));
                d.RejectUnknown(1);
                break;
            default:
                throw d.Error($"'{d.Type}' is not a client endpoint type (tcp, tls, unix)");
        }

        return endpoint;
    }

    /// <summary>Parses a server endpoint string.</summary>
    public static ServerEndpoint ServerFromString(Reactor reactor, string description)
    {
        var d = EndpointDescription.Parse(description);
        ServerEndpoint endpoint;
        switch (d.Type)
        {
            case "tcp":
                endpoint = ServerEndpoint.Tcp(reactor, d.Port("port", 0), Interface(d), d.Integer("backlog") ?? 50);
                d.RejectUnknown(1);
                break;
            case "tls":
            case "ssl":
                var port = d.Port("port", 0);
                var certificate = LoadCertificate(d);
                endpoint = ServerEndpoint.Tls(reactor, port, new SslServerAuthenticationOptions { ServerCertificate = certificate }, Interface(d), d.Integer("backlog") ?? 50);
                d.RejectUnknown(1);
                break;
            case "unix":
                endpoint = ServerEndpoint.Unix(reactor, d.Optional("address") ?? d.Required("path", 0), d.Integer("backlog") ?? 50);
                d.RejectUnknown(1);
                break;
            default:
                throw d.Error($"'{d.Type}' is not a server endpoint type (tcp, tls, unix)");
        }

        return endpoint;
    }

    private static string Interface(EndpointDescription d)
    {
        var value = d.Optional("interface") ?? "127.0.0.1";
        return System.Net.IPAddress.TryParse(value, out _) ? value : throw d.Error($"interface '{value}' is not an IP address");
    }

    private static X509Certificate2 LoadCertificate(EndpointDescription d)
    {
        var path = d.Required("certificate", 1);
        var key = d.Optional("privateKey");
        var password = d.Optional("password");
        try
        {
            return key is not null
                ? X509Certificate2.CreateFromPemFile(path, key)
                : path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
                    ? X509Certificate2.CreateFromPemFile(path)
                    : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new EndpointSyntaxException($"Bad endpoint '{EndpointDescription.Redact(d.Text)}': cannot load certificate '{path}': {e.Message}", e);
        }
    }
}
