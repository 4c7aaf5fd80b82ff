using System.Net;

namespace ReactiveKv.Testing;

/// <summary>
/// A connector for tests of clients (Twisted's <c>MemoryReactor</c> connect side): nothing goes to the network; the
/// test decides when an attempt succeeds (<see cref="Accept"/>, which attaches a <see cref="StringTransport"/>) or
/// fails (<see cref="Refuse"/>). Pass <see cref="Connect(IClientFactory, EventLoop)"/> where a client takes a connect function. Loop thread only,
/// like a real connector.
/// </summary>
public sealed class StringTransportConnector : IConnector
{
    private readonly List<StringTransport> _transports = [];
    private IClientFactory? _factory;
    private IProtocol? _protocol;

    /// <summary>Creates the connector for connections on <paramref name="loop"/>.</summary>
    public StringTransportConnector(EventLoop loop, EndPoint? destination = null)
    {
        Loop = loop;
        Destination = destination ?? new IPEndPoint(IPAddress.Loopback, 6379);
    }

    /// <inheritdoc />
    public EndPoint Destination { get; }

    /// <inheritdoc />
    public EventLoop Loop { get; }

    /// <inheritdoc />
    public ConnectorState State { get; private set; } = ConnectorState.Disconnected;

    /// <summary>How many attempts were started.</summary>
    public int Attempts { get; private set; }

    /// <summary>The transport of every accepted attempt, oldest first.</summary>
    public IReadOnlyList<StringTransport> Transports => _transports;

    /// <summary>The transport of the newest accepted attempt.</summary>
    public StringTransport Current => _transports.Count > 0 ? _transports[^1] : throw new InvalidOperationException("No attempt was accepted yet.");

    /// <summary>The connect function a client takes: remembers the factory and starts the first attempt.</summary>
    public IConnector Connect(IClientFactory factory, EventLoop loop)
    {
        _factory = factory;
        Connect();
        return this;
    }

    /// <inheritdoc />
    public void Connect()
    {
        if (State != ConnectorState.Disconnected)
        {
            throw new InvalidOperationException($"Cannot connect while {State}.");
        }

        State = ConnectorState.Connecting;
        Attempts++;
        _factory!.StartedConnecting(this);
    }

    /// <summary>Completes the pending attempt: builds the protocol and attaches a fresh transport.</summary>
    public StringTransport Accept()
    {
        RequireConnecting();
        var transport = new StringTransport(Loop, Destination);
        _transports.Add(transport);
        State = ConnectorState.Connected;
        _protocol = _factory!.BuildProtocol(Destination) ?? throw new InvalidOperationException("The factory built no protocol.");
        transport.Attach(_protocol);
        return transport;
    }

    /// <summary>Fails the pending attempt with <paramref name="reason"/> (default: refused).</summary>
    public void Refuse(Exception? reason = null)
    {
        RequireConnecting();
        State = ConnectorState.Disconnected;
        _factory!.ClientConnectionFailed(this, reason ?? new ConnectionRefusedException($"Connection to {Destination} refused (test)."));
    }

    /// <summary>Ends the current connection as the network would, with <paramref name="reason"/>.</summary>
    public void Drop(Exception? reason = null)
    {
        if (State != ConnectorState.Connected)
        {
            throw new InvalidOperationException("No connection to drop.");
        }

        var lost = reason ?? new ConnectionLostException("The test dropped the connection.", true);
        State = ConnectorState.Disconnected;
        Current.Lose(lost);
        _factory!.ClientConnectionLost(this, lost);
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        if (State == ConnectorState.Connected)
        {
            Drop(new ConnectionDoneException("Disconnected."));
        }
        else
        {
            StopConnecting();
        }
    }

    /// <inheritdoc />
    public void StopConnecting()
    {
        if (State == ConnectorState.Connecting)
        {
            Refuse(new OperationCanceledException("The attempt was stopped."));
        }
    }

    private void RequireConnecting()
    {
        if (State != ConnectorState.Connecting)
        {
            throw new InvalidOperationException($"No attempt is pending (state {State}).");
        }
    }
}
