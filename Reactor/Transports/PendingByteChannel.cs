using System.Net;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A connected byte channel (a socket, or TLS over any carrier) waiting for its protocol: its transport is the loop's
/// own for a plain socket, pipes otherwise.
/// </summary>
internal sealed class PendingByteChannel(EventLoop loop, IByteChannel channel) : IPendingConnection
{
    public EndPoint RemoteEndPoint => channel.RemoteEndPoint;

    public IConnectionTransport CreateTransport(TransportOptions options, ILogger logger, ConnectionTracker? tracker) =>
        ConnectionTransports.Create(loop, channel, options, logger, tracker);

    public void Dispose() => channel.Dispose();
}
