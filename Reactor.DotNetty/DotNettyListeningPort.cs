using System.Net.Sockets;
using System.Net;
using System.Net.Security;
using System.Reactive;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.DotNetty;

/// <summary>
/// A DotNetty <see cref="ServerBootstrap"/> listening for a protocol factory. DotNetty spreads accepted channels over
/// its loops; each connection's protocol is built and run on the reactor loop hosted on that channel's DotNetty loop.
/// </summary>
internal sealed class DotNettyListeningPort : IListeningPort
{
    private readonly IProtocolFactory _factory;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly TransportOptions _options;
    private readonly SslServerAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private readonly ConnectionTracker _tracker;
    private readonly Dictionary<IEventLoop, EventLoop> _loops;
    private readonly Deferred<Unit> _stopped = new();
    private readonly IEventLoopGroup? _ownBoss;
    private IChannel? _listener;
    private int _stopping;

    private DotNettyListeningPort(EventLoopGroup loops, IProtocolFactory factory, TransportOptions options, SslServerAuthenticationOptions? tls, ILogger logger, ConnectionTracker tracker, IEventLoopGroup? ownBoss)
    {
        _tls = tls;
        _loops = DotNettyLoops.ByExecutor(loops);
        _factory = factory;
        _options = options;
        _logger = logger;
        _tracker = tracker;
        _ownBoss = ownBoss;
    }

    public EndPoint Address { get; private set; } = new IPEndPoint(IPAddress.None, 0);

    public int Port => Address is IPEndPoint ip ? ip.Port : 0;

    /// <exception cref="CannotListenException">The address is in use or not bindable.</exception>
    public static DotNettyListeningPort Listen(EventLoopGroup loops, EndPoint address, IProtocolFactory factory, int backlog, TransportOptions options, SslServerAuthenticationOptions? tls, ILogger logger, ConnectionTracker tracker)
    {
        var workers = new List<IEventLoop>();
        for (var i = 0; i < loops.Count; i++)
        {
            workers.Add(DotNettyLoops.ExecutorOf(loops[i]));
        }

        // Binding blocks until DotNetty's acceptor loop has bound: that loop must not be the caller's own thread.
        var boss = workers.FirstOrDefault(w => !w.InEventLoop);
        var ownBoss = boss is null ? new MultithreadEventLoopGroup(1) : null;
        var port = new DotNettyListeningPort(loops, factory, options, tls, logger, tracker, ownBoss);
        var bootstrap = new ServerBootstrap()
            .Group((IEventLoopGroup?)boss ?? ownBoss!, workers[0].Parent)
            .ChannelFactory(() => address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? new TcpServerSocketChannel(address.AddressFamily) : new TcpServerSocketChannel())
            .Option(ChannelOption.SoBacklog, backlog)

            // Accepted connections on channels whose peer's FIN is an event, not a close (HalfClosingSocketChannel);
            // the transport decides: a half-closeable protocol keeps writing, any other is closed as before.
            .Handler(new HalfClosingAcceptHandler())

            // No SoReuseaddr: .NET turns it into SO_REUSEPORT too on Linux, which lets a second listener share a busy
            // port instead of failing; .NET's own bind already reuses ports left in TIME_WAIT.
            .ChildOption(ChannelOption.TcpNodelay, options.NoDelay)
            .ChildOption(ChannelOption.SoKeepalive, options.KeepAlive)
            .ChildOption(ChannelOption.Allocator, DotNettyChannels.Allocator)
            .ChildOption(ChannelOption.AutoRead, false)
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel => channel.Pipeline.AddLast("reactivekv", new ProtocolChannelHandler(port.Accepted))));
        try
        {
            port._listener = bootstrap.BindAsync(address).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            if (ownBoss is not null)
            {
                _ = ownBoss.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
            }

            throw new CannotListenException($"Cannot listen on {address}: {e.Message}", e);
        }

        port.Address = port._listener.LocalAddress;
        factory.DoStart();
        tracker.Add(port);
        return port;
    }

    public Deferred<Unit> StopListening()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0 && _listener is { } listener)
        {
            _ = listener.CloseAsync().ContinueWith(
                _ =>
                {
                    if (_ownBoss is { } boss)
                    {
                        _ = boss.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
                    }

                    _factory.DoStop();
                    _tracker.Remove(this);
                    _stopped.TryCallback(Unit.Default);
                },
                TaskScheduler.Default);
        }

        return _stopped;
    }

    // On the accepted channel's DotNetty loop, which hosts the reactor loop it belongs to.
    private void Accepted(ProtocolChannelHandler handler, IChannel channel)
    {
        if (!_loops.TryGetValue(channel.EventLoop, out var loop) || loop is null)
        {
            _logger.LogError("A connection on {Address} landed on a DotNetty loop the reactor does not run on; closing it", Address);
            _ = channel.CloseAsync();
            return;
        }

        loop.EnterHostThread();
        if (_tls is { } tls)
        {
            _ = AcceptTlsAsync(loop, handler, channel, tls);
            return;
        }

        if (BuildProtocol(channel.RemoteAddress) is { } protocol)
        {
            new DotNettyTransport(loop, channel, handler, _options, _logger, _tracker).Start(protocol);
        }
        else
        {
            handler.ReleaseEarly();
            _ = channel.CloseAsync();
        }
    }

    // TLS is the reactor's own layer over the plain channel (DotNettyChannels says why); the protocol gets a transport over it.
    private async Task AcceptTlsAsync(EventLoop loop, ProtocolChannelHandler handler, IChannel channel, SslServerAuthenticationOptions tls)
    {
        TlsChannel secure;
        try
        {
            using var handshake = new CancellationTokenSource(HandshakeTimeout);
            secure = await TlsChannel.HandshakeAsync(
                loop,
                () => new DotNettyTransport(loop, channel, handler, _options, _logger, tracker: null) { CountsAsConnection = false },
                (stream, t) => stream.AuthenticateAsServerAsync(tls, t),
                handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "An incoming connection on {Address} failed before it was established", Address);
            _ = channel.CloseAsync();
            return;
        }

        loop.CallFromThread(() =>
        {
            if (BuildProtocol(secure.RemoteEndPoint) is { } protocol)
            {
                new StreamTransport(loop, secure, _options, _logger, _tracker).Start(protocol);
            }
            else
            {
                secure.Dispose();
            }
        });
    }

    private IProtocol? BuildProtocol(System.Net.EndPoint remote)
    {
        try
        {
            return _factory.BuildProtocol(remote);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "BuildProtocol failed on {Address}", Address);
            return null;
        }
    }
}
