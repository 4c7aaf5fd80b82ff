using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>Picks the transport for a new connection: the loop's own epoll for plain sockets where it has one, pipes otherwise (TLS, other platforms).</summary>
internal static class ConnectionTransports
{
    public static IConnectionTransport Create(EventLoop loop, IByteChannel channel, TransportOptions options, ILogger logger, ConnectionTracker? tracker) =>
        channel is SocketChannel socket && loop.Poller is { CanRegisterSockets: true } poller
            ? new PollingSocketTransport(loop, poller, socket, options, logger, tracker)
            : new StreamTransport(loop, channel, options, logger, tracker);
}
