using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// How a <see cref="StreamConnector"/> opens a connection: the reactor's own sockets (<see cref="SocketConnectionOpener"/>),
/// or another reactor's channels. The connector keeps everything else (timeout, factory callbacks, retries, shutdown).
/// </summary>
internal interface IConnectionOpener
{
    /// <summary>Connects (and runs the TLS handshake when <paramref name="tls"/> is set); any thread may complete it.</summary>
    Task<IPendingConnection> ConnectAsync(EventLoop loop, EndPoint destination, TransportOptions options, ILogger logger, SslClientAuthenticationOptions? tls, CancellationToken token);

    /// <summary>Turns a failure of <see cref="ConnectAsync"/> into the reactor's exception for it.</summary>
    Exception TranslateConnectError(Exception error, EndPoint destination);
}
