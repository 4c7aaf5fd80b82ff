using System.Buffers;

namespace ReactiveKv.Testing;

/// <summary>
/// One client connection through a <see cref="FaultProxy"/> and its upstream connection. Both live on the accepted
/// connection's loop (the upstream connect is bound to it), so every field here is touched by one thread only.
/// </summary>
internal sealed class FaultProxyConnection
{
    private readonly FaultProxy _proxy;
    private readonly ProxyPipe _up;
    private readonly ProxyPipe _down;
    private ITcpTransport? _clientTransport;
    private ITcpTransport? _serverTransport;
    private bool _closed;
    private bool _halfClosed;
    private int _resetGeneration = -1;
    private long _downSinceReset;

    public FaultProxyConnection(FaultProxy proxy)
    {
        _proxy = proxy;
        Client = new ClientSide(this);
        _up = new ProxyPipe(this, ProxyDirection.Upstream);
        _down = new ProxyPipe(this, ProxyDirection.Downstream);
    }

    public IProtocol Client { get; }

    /// <summary>Set once accepted; the loop every callback of this connection runs on.</summary>
    public EventLoop? Loop { get; private set; }

    public FaultProxy Proxy => _proxy;

    public bool IsHalfClosed => _halfClosed;

    /// <summary>Aborts both sides now (a reset), dropping whatever is queued. Loop thread.</summary>
    public void Abort()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _up.Clear();
        _down.Clear();
        _clientTransport?.AbortConnection();
        _serverTransport?.AbortConnection();
        _proxy.Closed(this);
    }

    /// <summary>Stops replies and sends a FIN to the client once what it was already sent has left. Loop thread.</summary>
    public void HalfClose()
    {
        if (_closed || _halfClosed || _clientTransport is null)
        {
            return;
        }

        _halfClosed = true;
        _down.Clear();

        // The FIN goes once what the client was already sent has left; the client's bytes are still read and forwarded.
        _clientTransport.LoseWriteConnection();
    }

    /// <summary>
    /// Applies a <see cref="FaultProxy.ResetAfterBytes"/> limit to the next <paramref name="wanted"/> bytes for the
    /// client: true when they reach it, with <paramref name="allowed"/> the part still to write before the reset;
    /// false (all allowed) when there is no limit or it is not reached. Loop thread.
    /// </summary>
    public bool LimitDownstream(FaultSettings settings, int wanted, out int allowed)
    {
        allowed = wanted;
        if (settings.ResetAfterBytes < 0)
        {
            return false;
        }

        // A new ResetAfterBytes call counts from the moment it was made, not from the connection's start.
        if (_resetGeneration != settings.ResetGeneration)
        {
            _resetGeneration = settings.ResetGeneration;
            _downSinceReset = 0;
        }

        // Exactly reaching the limit also resets, so the client never gets a complete reply at the limit.
        var left = settings.ResetAfterBytes - _downSinceReset;
        if (left > wanted)
        {
            _downSinceReset += wanted;
            return false;
        }

        allowed = (int)Math.Max(0, left);
        _downSinceReset += allowed;
        return true;
    }

    /// <summary>Resets both sides once the bytes written this turn have been flushed (the next turn). Loop thread.</summary>
    public void ResetAfterThisTurn()
    {
        _up.Clear();
        _down.Clear();
        _up.Stopped = true;
        _down.Stopped = true;

        // Written bytes are flushed at the end of the turn; aborting now would drop the partial frame we mean to deliver.
        Loop!.CallFromThread(Abort);
    }

    private void ClientConnected(ITcpTransport transport)
    {
        _clientTransport = transport;
        Loop = transport.Loop;
        _proxy.Opened(this);
        transport.NoDelay = true;

        _up.Source = transport;
        _down.Destination = transport;
        transport.RegisterProducer(_down);

        // Nothing is read from the client until the upstream side exists to take it (the pipe has no destination yet).
        _up.UpdateSource();
        _proxy.Reactor.ConnectTcp(_proxy.UpstreamHost, _proxy.UpstreamPort, new UpstreamFactory(this), options: FaultProxy.TransportOptions, loop: transport.Loop);
        if (_proxy.Settings.HalfClosed)
        {
            HalfClose();
        }
    }

    private void ServerConnected(ITcpTransport transport)
    {
        if (_closed)
        {
            transport.AbortConnection();
            return;
        }

        _serverTransport = transport;
        transport.NoDelay = true;
        _down.Source = transport;
        _up.Destination = transport;
        transport.RegisterProducer(_up);
        _down.UpdateSource();
        _up.Pump();
    }

    private void UpstreamFailed()
    {
        // The client sees what it would see with no server: the connection goes away.
        Abort();
    }

    private void SideLost(ProxyDirection side, Exception reason)
    {
        if (_closed)
        {
            return;
        }

        // side is the direction whose source went away: Upstream when the client left, Downstream when the server did.
        var pipe = side == ProxyDirection.Upstream ? _up : _down;
        if (reason is ConnectionDoneException)
        {
            // A clean close travels on as a clean close, after the bytes still queued in that direction.
            pipe.SourceEnded();
        }
        else
        {
            Abort();
        }
    }

    /// <summary>Both sides gone (or one gone and the other closed after its queue drained). Loop thread.</summary>
    public void DestinationClosed()
    {
        if (!_closed && (_clientTransport?.Disconnecting ?? true) && (_serverTransport?.Disconnecting ?? true))
        {
            _closed = true;
            _proxy.Closed(this);
        }
    }

    private sealed class ClientSide(FaultProxyConnection connection) : Protocol
    {
        public override void ConnectionMade() => connection.ClientConnected((ITcpTransport)Transport);

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            connection._up.Enqueue(data);
            return data.End;
        }

        protected override void ConnectionLost(Exception reason)
        {
            connection.SideLost(ProxyDirection.Upstream, reason);
            connection.DestinationClosed();
        }
    }

    private sealed class ServerSide(FaultProxyConnection connection) : Protocol
    {
        public override void ConnectionMade() => connection.ServerConnected((ITcpTransport)Transport);

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            connection._down.Enqueue(data);
            return data.End;
        }

        protected override void ConnectionLost(Exception reason)
        {
            connection.SideLost(ProxyDirection.Downstream, reason);
            connection.DestinationClosed();
        }
    }

    private sealed class UpstreamFactory(FaultProxyConnection connection) : ClientFactory(() => new ServerSide(connection))
    {
        public override void ClientConnectionFailed(IConnector connector, Exception reason) => connection.Loop!.Execute(connection.UpstreamFailed);
    }
}
