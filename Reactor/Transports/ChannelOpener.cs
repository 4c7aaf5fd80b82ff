using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>Opens the byte channels under transports: connects sockets and runs TLS handshakes.</summary>
internal static class ChannelOpener
{
    public static async Task<IByteChannel> ConnectAsync(
        EventLoop loop,
        EndPoint destination,
        TransportOptions options,
        ILogger logger,
        SslClientAuthenticationOptions? tls,
        CancellationToken token)
    {
        var socket = destination switch
        {
            UnixDomainSocketEndPoint => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
            IPEndPoint ip => new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp),
            _ => new Socket(SocketType.Stream, ProtocolType.Tcp),
        };
        try
        {
            await socket.ConnectAsync(destination, token).ConfigureAwait(false);
            return await WrapAsync(loop, socket, options, logger, tls is null ? null : (stream, t) => stream.AuthenticateAsClientAsync(tls, t), token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Task<IByteChannel> AcceptAsync(
        EventLoop loop,
        Socket socket,
        TransportOptions options,
        ILogger logger,
        SslServerAuthenticationOptions? tls,
        CancellationToken token) =>
        WrapAsync(loop, socket, options, logger, tls is null ? null : (stream, t) => stream.AuthenticateAsServerAsync(tls, t), token);

    public static Exception TranslateConnectError(Exception error, EndPoint destination) => Translate(error, destination is UnixDomainSocketEndPoint, Describe(destination));

    // DnsEndPoint prints its address family ("Unspecified/host:port"); messages say host:port.
    private static string Describe(EndPoint destination) => destination switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => destination.ToString() ?? "the destination",
    };

    private static Exception Translate(Exception error, bool unixSocket, string destination) => error switch
    {
        SocketException s when unixSocket =>
            new ConnectException($"Nothing listens on the Unix socket {destination} ({s.SocketErrorCode}): {s.Message}", s),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } s =>
            new ConnectionRefusedException($"Connection refused by {destination}.", s),
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable or SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } s =>
            new ConnectException($"Cannot resolve or reach {destination}: {s.Message}", s),
        AuthenticationException a => new ConnectException($"The TLS handshake with {destination} failed: {a.Message}", a),
        IOException io when io.InnerException is AuthenticationException or null => new ConnectException($"The TLS handshake with {destination} failed: {io.Message}", io),
        ConnectException => error,
        _ => new ConnectException($"Cannot connect to {destination}: {error.Message}", error),
    };

    private static async Task<IByteChannel> WrapAsync(
        EventLoop loop,
        Socket socket,
        TransportOptions options,
        ILogger logger,
        Func<SslStream, CancellationToken, Task>? handshake,
        CancellationToken token)
    {
        var plain = new SocketChannel(socket, options);
        if (handshake is null)
        {
            return plain;
        }

        return await TlsChannel.HandshakeAsync(loop, plain, options, logger, handshake, token).ConfigureAwait(false);
    }
}
