using System.Net;

namespace ReactiveKv;

/// <summary>
/// A connector that looks its destination up before every attempt (Redis Sentinel, a service registry), then connects
/// through one of the reactor's own connectors (<c>ConnectTcp</c>, <c>ConnectTls</c>) to the answer. The factory
/// hears this connector, not the inner one, in its callbacks: a <see cref="ReconnectingClientFactory"/>'s retry
/// therefore calls <see cref="Connect"/> here and looks up again, so a connection loss or a failed attempt always
/// asks where the server is now. A failed lookup is a failed attempt (<see cref="IClientFactory.ClientConnectionFailed"/>).
/// Loop thread, like every connector; the lookup itself is asynchronous and never blocks the loop.
/// </summary>
public sealed class ResolvingConnector : IConnector
{
    private static readonly EndPoint Unresolved = new DnsEndPoint("unresolved", 0);
    private readonly IClientFactory _factory;
    private readonly Func<CancellationToken, Task<(string Host, int Port)>> _resolve;
    private readonly Func<string, int, IClientFactory, EventLoop, IConnector> _connect;
    private readonly Relay _relay;
    private CancellationTokenSource? _resolving;
    private IConnector? _inner;

    /// <summary>Creates the connector and starts the first attempt.</summary>
    /// <param name="loop">The loop the connections and the factory's callbacks run on.</param>
    /// <param name="factory">Hears every attempt's outcome, with this connector as the connector.</param>
    /// <param name="resolve">Looks the destination up; may complete on any thread; throws to fail the attempt.</param>
    /// <param name="connect">Starts the reactor's connector to a looked-up host and port with the given factory on the given loop.</param>
    public ResolvingConnector(
        EventLoop loop,
        IClientFactory factory,
        Func<CancellationToken, Task<(string Host, int Port)>> resolve,
        Func<string, int, IClientFactory, EventLoop, IConnector> connect)
    {
        Loop = loop ?? throw new ArgumentNullException(nameof(loop));
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _resolve = resolve ?? throw new ArgumentNullException(nameof(resolve));
        _connect = connect ?? throw new ArgumentNullException(nameof(connect));
        _relay = new Relay(this);
        Connect();
    }

    /// <summary>The destination of the current or last attempt (a placeholder before the first lookup answers).</summary>
    public EndPoint Destination => _inner?.Destination ?? Unresolved;

    /// <summary>The host and port the current or last attempt connects to; null before the first lookup answers.</summary>
    public (string Host, int Port)? Resolved { get; private set; }

    /// <inheritdoc />
    public EventLoop Loop { get; }

    /// <inheritdoc />
    public ConnectorState State => _resolving is not null ? ConnectorState.Connecting : _inner?.State ?? ConnectorState.Disconnected;

    /// <summary>Looks the destination up again and connects to the answer.</summary>
    public void Connect()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(Connect);
            return;
        }

        if (State != ConnectorState.Disconnected)
        {
            throw new InvalidOperationException($"Cannot connect while {State}.");
        }

        var attempt = new CancellationTokenSource();
        _resolving = attempt;
        _factory.StartedConnecting(this);
        _ = ResolveAsync(attempt);
    }

    /// <inheritdoc />
    public void StopConnecting()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(StopConnecting);
            return;
        }

        if (_resolving is { } attempt)
        {
            _resolving = null;
            attempt.Cancel();
            _factory.ClientConnectionFailed(this, new OperationCanceledException($"The attempt to look up and connect to {Destination} was stopped."));
        }
        else
        {
            _inner?.StopConnecting();
        }
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(Disconnect);
            return;
        }

        if (_resolving is not null)
        {
            StopConnecting();
        }
        else
        {
            _inner?.Disconnect();
        }
    }

    private async Task ResolveAsync(CancellationTokenSource attempt)
    {
        try
        {
            var (host, port) = await _resolve(attempt.Token).ConfigureAwait(false);
            Loop.CallFromThread(() => OnResolved(attempt, host, port));
        }
        catch (Exception e)
        {
            Loop.CallFromThread(() => ResolveFailed(attempt, e));
        }
    }

    private void OnResolved(CancellationTokenSource attempt, string host, int port)
    {
        if (!ReferenceEquals(attempt, _resolving))
        {
            return;
        }

        _resolving = null;
        Resolved = (host, port);
        try
        {
            // A new inner connector per attempt: each one connects to where the lookup said, once.
            _inner = _connect(host, port, _relay, Loop);
        }
        catch (Exception e)
        {
            _inner = null;
            _factory.ClientConnectionFailed(this, e);
        }
    }

    private void ResolveFailed(CancellationTokenSource attempt, Exception reason)
    {
        if (!ReferenceEquals(attempt, _resolving))
        {
            return;
        }

        _resolving = null;
        _factory.ClientConnectionFailed(this, reason);
    }

    /// <summary>The factory the inner connectors see: it passes every callback on, naming the resolving connector.</summary>
    private sealed class Relay(ResolvingConnector owner) : IClientFactory
    {
        public IProtocol? BuildProtocol(EndPoint address) => owner._factory.BuildProtocol(address);

        public void DoStart() => owner._factory.DoStart();

        public void DoStop() => owner._factory.DoStop();

        // Already reported when the lookup started: one attempt, one StartedConnecting.
        public void StartedConnecting(IConnector connector)
        {
        }

        public void ClientConnectionFailed(IConnector connector, Exception reason) => owner._factory.ClientConnectionFailed(owner, reason);

        public void ClientConnectionLost(IConnector connector, Exception reason) => owner._factory.ClientConnectionLost(owner, reason);
    }
}
