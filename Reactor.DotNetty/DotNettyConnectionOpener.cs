using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.DotNetty;

/// <summary>Connects through a DotNetty <see cref="Bootstrap"/> on the connector's own loop, so the channel's events are that loop's.</summary>
internal sealed class DotNettyConnectionOpener : IConnectionOpener
{
    public static DotNettyConnectionOpener Instance { get; } = new();

    public async Task<IPendingConnection> ConnectAsync(EventLoop loop, EndPoint destination, TransportOptions options, ILogger logger, SslClientAuthenticationOptions? tls, CancellationToken token)
    {
        var executor = DotNettyLoops.ExecutorOf(loop);
        Exception? last = null;
        foreach (var address in await ResolveAsync(destination, token).ConfigureAwait(false))
        {
            token.ThrowIfCancellationRequested();
            var handler = new ProtocolChannelHandler();
            var bootstrap = new Bootstrap()
                .Group(executor)

                // A socket of the address's own family: DotNetty's default is a dual-mode IPv6 socket, whose endpoints
                // read [::ffff:127.0.0.1] where the caller connected to 127.0.0.1. Its peer's FIN is an event, not a close.
                .ChannelFactory(() => new HalfClosingSocketChannel(address.AddressFamily))
                .Option(ChannelOption.TcpNodelay, options.NoDelay)
                .Option(ChannelOption.SoKeepalive, options.KeepAlive)
                .Option(ChannelOption.Allocator, DotNettyChannels.Allocator)

                // Nothing is read until the protocol (or TLS) is attached and has heard ConnectionMade.
                .Option(ChannelOption.AutoRead, false)
                .Handler(new ActionChannelInitializer<IChannel>(channel => channel.Pipeline.AddLast("reactivekv", handler)));
            IChannel? channel = null;
            try
            {
                channel = await bootstrap.ConnectAsync(address).WaitAsync(token).ConfigureAwait(false);
                await handler.Ready.WaitAsync(token).ConfigureAwait(false);
                if (tls is null)
                {
                    return new Pending(loop, channel, handler);
                }

                // TLS is the reactor's own layer with this channel as its carrier (DotNettyChannels says why).
                var carried = channel;
                var secure = await TlsChannel.HandshakeAsync(
                    loop,
                    () => new DotNettyTransport(loop, carried, handler, options, logger, tracker: null) { CountsAsConnection = false },
                    (stream, t) => stream.AuthenticateAsClientAsync(tls, t),
                    token).ConfigureAwait(false);
                return new PendingByteChannel(loop, secure);
            }
            catch (Exception e) when (!token.IsCancellationRequested && e is SocketException or ConnectException or global::DotNetty.Transport.Channels.ConnectException or System.Security.Authentication.AuthenticationException or IOException or ConnectTimeoutException)
            {
                last = e;
                _ = channel?.CloseAsync();
            }
            catch
            {
                _ = channel?.CloseAsync();
                throw;
            }
        }

        throw last ?? new ConnectException($"No address to connect to for {destination}.");
    }

    public Exception TranslateConnectError(Exception error, EndPoint destination)
    {
        var name = destination is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : destination.ToString();
        return error switch
        {
            ConnectException => error,

            // DotNetty wraps the socket's error in its own ConnectException ("LogError connecting to ...").
            global::DotNetty.Transport.Channels.ConnectException { InnerException: { } inner } => TranslateConnectError(inner, destination),
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } s => new ConnectionRefusedException($"Connection refused by {name}.", s),
            SocketException s => new ConnectException($"Cannot connect to {name}: {s.Message}", s),
            System.Security.Authentication.AuthenticationException a => new ConnectException($"The TLS handshake with {name} failed: {a.Message}", a),
            IOException io => new ConnectException($"The TLS handshake with {name} failed: {io.Message}", io),
            AggregateException { InnerException: { } inner } => TranslateConnectError(inner, destination),
            _ => new ConnectException($"Cannot connect to {name}: {error.Message}", error),
        };
    }

    private static async Task<IReadOnlyList<EndPoint>> ResolveAsync(EndPoint destination, CancellationToken token)
    {
        if (destination is not DnsEndPoint dns)
        {
            return [destination];
        }

        var addresses = await Dns.GetHostAddressesAsync(dns.Host, token).ConfigureAwait(false);
        return [.. addresses.Select(a => (EndPoint)new IPEndPoint(a, dns.Port))];
    }

    private sealed class Pending(EventLoop loop, IChannel channel, ProtocolChannelHandler handler) : IPendingConnection
    {
        public EndPoint RemoteEndPoint => channel.RemoteAddress;

        public IConnectionTransport CreateTransport(TransportOptions options, ILogger logger, ConnectionTracker? tracker) =>
            new DotNettyTransport(loop, channel, handler, options, logger, tracker);

        public void Dispose()
        {
            handler.ReleaseEarly();
            _ = channel.CloseAsync();
        }
    }
}
