using System.Net.Security;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Echo;

/// <summary>Starts echo servers on loopback.</summary>
public static class EchoServer
{
    /// <summary>Listens on TCP <paramref name="port"/> (0 for any free port).</summary>
    public static ListeningServer Listen(Reactor reactor, int port) =>
        ListeningServer.ListenTcp(reactor, port, new ServerFactory(() => new EchoProtocol()));

    /// <summary>Listens on TLS <paramref name="port"/> with the certificate in <paramref name="tls"/>.</summary>
    public static ListeningServer ListenTls(Reactor reactor, int port, SslServerAuthenticationOptions tls) =>
        ListeningServer.ListenTls(reactor, port, new ServerFactory(() => new EchoProtocol()), tls);
}
