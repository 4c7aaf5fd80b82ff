using System.Net.Security;

namespace ReactiveKv.Examples.Echo;

/// <summary>How an <see cref="EchoServer"/> listens.</summary>
public sealed record EchoServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve TLS with this certificate and these settings; null serves plain TCP.</summary>
    public SslServerAuthenticationOptions? Tls { get; init; }
}
