using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>Picks the transport for a new connection: the loop's own epoll for plain sockets where it has one, pipes otherwise (other platforms, or the protocol's side of TLS).</summary>
internal static class ConnectionTransports
{
    // countsAsConnection is false for a transport that carries another (TLS under the protocol's transport).
    public static IConnectionTransport Create(
        EventLoop loop,
        IByteChannel channel,
        TransportOptions options,
        ILogger logger,
        ConnectionTracker? tracker,
        bool countsAsConnection = true) =>
        channel is SocketChannel socket && loop.Poller is { CanRegisterSockets: true } poller
            ? new PollingSocketTransport(loop, poller, socket, options, logger, tracker) { CountsAsConnection = countsAsConnection }
            : new StreamTransport(loop, channel, options, logger, tracker) { CountsAsConnection = countsAsConnection };
}
