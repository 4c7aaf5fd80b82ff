using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>Connects TCP, TLS and Unix sockets for a client factory, on one loop, with a connect timeout on that loop's clock.</summary>
internal sealed class StreamConnector : IConnector
{
    private readonly IClientFactory _factory;
    private readonly TimeSpan _timeout;
    private readonly TransportOptions _options;
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly ILogger _logger;
    private CancellationTokenSource? _attempt;
    private IDelayedCall? _timer;
    private IConnectionTransport? _transport;
    private bool _factoryStarted;
    private readonly ConnectionTracker? _tracker;
    private readonly IConnectionOpener _opener;
    private volatile bool _shutDown;

    public StreamConnector(EventLoop loop, EndPoint destination, IClientFactory factory, TimeSpan timeout, TransportOptions options, SslClientAuthenticationOptions? tls, ILogger logger, ConnectionTracker? tracker = null, IConnectionOpener? opener = null)
    {
        _tracker = tracker;
        _opener = opener ?? SocketConnectionOpener.Instance;
        Loop = loop;
        Destination = destination;
        _factory = factory;
        _timeout = timeout;
        _options = options;
        _tls = tls;
        _logger = logger;
    }

    public EndPoint Destination { get; }

    public EventLoop Loop { get; }

    public ConnectorState State { get; private set; }

    public void Connect()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(Connect);
            return;
        }

        if (_shutDown)
        {
            return;
        }

        if (State != ConnectorState.Disconnected)
        {
            throw new InvalidOperationException($"Cannot connect while {State}.");
        }

        State = ConnectorState.Connecting;
        if (!_factoryStarted)
        {
            _factoryStarted = true;
            _tracker?.Add(this);
            _factory.DoStart();
        }

        var attempt = new CancellationTokenSource();
        _attempt = attempt;
        _timer = Loop.CallLater(_timeout, () => Fail(attempt, new ReactorTimeoutException($"Connecting to {Destination} timed out after {_timeout}.", _timeout)));
        _factory.StartedConnecting(this);
        _ = OpenAsync(attempt);
    }

    /// <summary>The reactor is stopping: no new attempts, and an attempt in progress is stopped.</summary>
    public void Shutdown()
    {
        _shutDown = true;
        StopConnecting();
    }

    public void StopConnecting()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(StopConnecting);
            return;
        }

        if (State == ConnectorState.Connecting && _attempt is { } attempt)
        {
            Fail(attempt, new OperationCanceledException($"The attempt to connect to {Destination} was stopped."));
        }
    }

    public void Disconnect()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(Disconnect);
            return;
        }

        if (State == ConnectorState.Connecting)
        {
            StopConnecting();
        }
        else
        {
            _transport?.LoseConnection();
        }
    }

    private async Task OpenAsync(CancellationTokenSource attempt)
    {
        try
        {
            var channel = await _opener.ConnectAsync(Loop, Destination, _options, _logger, _tls, attempt.Token).ConfigureAwait(false);
            Loop.CallFromThread(() => Established(attempt, channel));
        }
        catch (Exception e)
        {
            var reason = _opener.TranslateConnectError(e, Destination);
            Loop.CallFromThread(() => Fail(attempt, reason));
        }
    }

    private void Established(CancellationTokenSource attempt, IPendingConnection channel)
    {
        if (!ReferenceEquals(attempt, _attempt))
        {
            channel.Dispose();
            return;
        }

        EndAttempt();
        var protocol = _factory.BuildProtocol(channel.RemoteEndPoint);
        if (protocol is null)
        {
            channel.Dispose();
            State = ConnectorState.Disconnected;
            Report(() => _factory.ClientConnectionFailed(this, new ConnectException($"The factory refused the connection to {Destination}.")));
            return;
        }

        State = ConnectorState.Connected;
        _transport = channel.CreateTransport(_options, _logger, _tracker);
        _transport.Start(protocol, Lost);
    }

    private void Lost(Exception reason)
    {
        _transport = null;
        State = ConnectorState.Disconnected;
        Report(() => _factory.ClientConnectionLost(this, reason));
    }

    private void Fail(CancellationTokenSource attempt, Exception reason)
    {
        if (!ReferenceEquals(attempt, _attempt))
        {
            return;
        }

        attempt.Cancel();
        EndAttempt();
        State = ConnectorState.Disconnected;
        Report(() => _factory.ClientConnectionFailed(this, reason));
    }

    private void EndAttempt()
    {
        if (_timer is { Active: true } timer)
        {
            timer.Cancel();
        }

        _timer = null;
        _attempt = null;
    }

    private void Report(Action callback)
    {
        try
        {
            callback();
        }
        finally
        {
            if (State == ConnectorState.Disconnected && _factoryStarted)
            {
                _factoryStarted = false;
                _factory.DoStop();
                _tracker?.Remove(this);
            }
        }
    }
}
