using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reactive;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>Accepts TCP, TLS or Unix connections and binds each to the next loop of the group.</summary>
internal sealed class StreamListeningPort : IListeningPort
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly EventLoopGroup _loops;
    private readonly IProtocolFactory _factory;
    private readonly TransportOptions _options;
    private readonly SslServerAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Deferred<Unit> _stopped = new();
    private readonly string? _unixPath;
    private readonly ConnectionTracker? _tracker;

    public StreamListeningPort(Socket socket, EventLoopGroup loops, IProtocolFactory factory, TransportOptions options, SslServerAuthenticationOptions? tls, ILogger logger, string? unixPath = null, ConnectionTracker? tracker = null)
    {
        _tracker = tracker;
        _socket = socket;
        _loops = loops;
        _factory = factory;
        _options = options;
        _tls = tls;
        _logger = logger;
        _unixPath = unixPath;
        Address = socket.LocalEndPoint!;
    }

    public EndPoint Address { get; }

    public int Port => Address is IPEndPoint ip ? ip.Port : 0;

    public void Start()
    {
        _factory.DoStart();
        _tracker?.Add(this);
        _ = AcceptLoopAsync();
    }

    public Deferred<Unit> StopListening()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            _socket.Dispose();
        }

        return _stopped;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var accepted = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                _ = HandleAsync(accepted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
        {
            // StopListening closed the socket.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Accepting on {Address} failed; the port is closed", Address);
        }
        finally
        {
            _socket.Dispose();
            if (_unixPath is not null)
            {
                File.Delete(_unixPath);
            }

            _factory.DoStop();
            _tracker?.Remove(this);
            _stopped.TryCallback(Unit.Default);
        }
    }

    private async Task HandleAsync(Socket accepted)
    {
        var loop = _loops.Next();
        IByteChannel channel;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshake.CancelAfter(HandshakeTimeout);
            channel = await ChannelOpener.AcceptAsync(loop, accepted, _options, _logger, _tls, handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "An incoming connection on {Address} failed before it was established", Address);
            accepted.Dispose();
            return;
        }

        loop.CallFromThread(() =>
        {
            IProtocol? protocol;
            try
            {
                protocol = _factory.BuildProtocol(channel.RemoteEndPoint);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "BuildProtocol failed on {Address}", Address);
                protocol = null;
            }

            if (protocol is null)
            {
                channel.Dispose();
                return;
            }

            ConnectionTransports.Create(loop, channel, _options, _logger, _tracker).Start(protocol);
        });
    }
}
