using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>The default reactor's way to connect: a socket (epoll-polled where the loop can) or TLS over it.</summary>
internal sealed class SocketConnectionOpener : IConnectionOpener
{
    public static SocketConnectionOpener Instance { get; } = new();

    public async Task<IPendingConnection> ConnectAsync(EventLoop loop, EndPoint destination, TransportOptions options, ILogger logger, SslClientAuthenticationOptions? tls, CancellationToken token) =>
        new PendingByteChannel(loop, await ChannelOpener.ConnectAsync(loop, destination, options, logger, tls, token).ConfigureAwait(false));

    public Exception TranslateConnectError(Exception error, EndPoint destination) => ChannelOpener.TranslateConnectError(error, destination);
}
