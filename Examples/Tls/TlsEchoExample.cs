using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Echo;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Tls;

/// <summary>
/// An echo server over TLS with a certificate made at run time; the client pins that certificate, checks the echo,
/// and shows that a client pinning a different certificate is refused.
/// </summary>
public sealed class TlsEchoExample : IExample
{
    /// <inheritdoc />
    public string Name => "tls-echo";

    /// <inheritdoc />
    public string Description => "TLS echo with a run-time self-signed certificate pinned by the client";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        using var certificate = SelfSignedCertificate.Create();
        output.WriteLine($"certificate {certificate.Subject}, SHA-256 {certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}");
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = await EchoServer.StartAsync(reactor, new EchoServerOptions { Port = args.Port ?? 0, Tls = new SslServerAuthenticationOptions { ServerCertificate = certificate } }, cancellationToken);
        output.WriteLine($"TLS echo server on {server.Address}");

        var client = (LineClient)await Connect(reactor, server.Port, certificate).ResultAsync(cancellationToken);
        var message = args.Message ?? "hello over TLS";
        client.Send(message);
        var reply = await client.ReadLine().ResultAsync(cancellationToken);
        output.WriteLine($"sent '{message}', got '{reply}'");
        Check.Equal(message, reply, "echo over TLS");
        client.Close();
        await client.Lost.WaitAsync(cancellationToken);

        await ExpectRefusedAsync(reactor, server.Port, output, cancellationToken);
        return 0;
    }

    private static Deferred<IProtocol> Connect(Reactor reactor, int port, X509Certificate2 pinned)
    {
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = CertificatePin.For(pinned),
        };
        return ClientEndpoint.Tls(reactor, "127.0.0.1", port, tls).Connect(new Factory(() => new LineClient()));
    }

    /// <summary>The pin is the only trust there is: a client pinning another certificate must not get through.</summary>
    private static async Task ExpectRefusedAsync(Reactor reactor, int port, TextWriter output, CancellationToken cancellationToken)
    {
        using var stranger = SelfSignedCertificate.Create();
        try
        {
            var client = (LineClient)await Connect(reactor, port, stranger).ResultAsync(cancellationToken);
            client.Close();
        }
        catch (ConnectException e)
        {
            output.WriteLine($"a client pinning another certificate was refused: {e.Message}");
            return;
        }

        throw new ExampleFailedException("a client pinning another certificate got through");
    }
}
