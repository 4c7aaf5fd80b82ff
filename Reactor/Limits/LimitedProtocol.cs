using System.Buffers;

namespace ReactiveKv;

/// <summary>
/// Puts one connection of a <see cref="LimitedServerFactory"/> under its timers, forwarding every callback to the
/// server's protocol. One timer per connection, re-armed only when it fires, so the hot path only stores a time.
/// </summary>
internal sealed class LimitedProtocol(LimitedServerFactory factory, IProtocol inner) : IProtocol, IProtocolWrapper
{
    private ITransport? _transport;
    private IDelayedCall? _idleTimer;
    private IDelayedCall? _requestTimer;
    private DateTimeOffset _lastInput;
    private long _writtenAtCheck;
    private bool _released;

    public IProtocol Wrapped => inner;

    public void MakeConnection(ITransport transport)
    {
        _transport = transport;
        _lastInput = transport.Loop.Now;
        if (factory.Limits.IdleTimeout is { } idle)
        {
            _idleTimer = transport.Loop.CallLater(idle, OnIdleTimer);
        }

        inner.MakeConnection(transport);
    }

    // The transport calls MakeConnection, which the inner protocol turns into its own ConnectionMade.
    public void ConnectionMade()
    {
    }

    public SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var transport = _transport!;
        _lastInput = transport.Loop.Now;
        var consumed = inner.DataReceived(data);

        // Replies written while handling this input are part of it, not later activity for the idle check.
        _writtenAtCheck = Written(transport);

        // Input left unconsumed is a request begun but not finished: it must finish within RequestTimeout, however
        // slowly its bytes trickle in. Consuming everything ends the request, and its timer.
        var partial = !consumed.Equals(data.End);
        if (partial && _requestTimer is null && factory.Limits.RequestTimeout is { } limit && !transport.Disconnecting)
        {
            _requestTimer = transport.Loop.CallLater(limit, OnRequestTimer);
        }
        else if (!partial && _requestTimer is not null)
        {
            _requestTimer.Cancel();
            _requestTimer = null;
        }

        return consumed;
    }

    public void ConnectionLost(Exception reason)
    {
        CancelTimers();
        if (!_released)
        {
            _released = true;
            factory.Released();
        }

        inner.ConnectionLost(reason);
    }

    private void OnIdleTimer()
    {
        var transport = _transport!;
        var idle = factory.Limits.IdleTimeout!.Value;
        // Output counts as activity too: a server streaming to a client that only listens (a replication feed, a
        // long poll being answered) is not idle.
        var written = Written(transport);
        if (written != _writtenAtCheck)
        {
            _writtenAtCheck = written;
            _lastInput = transport.Loop.Now;
        }

        var quiet = transport.Loop.Now - _lastInput;
        if (quiet < idle)
        {
            // Input arrived since the timer was set: wait out the rest rather than rescheduling on every read.
            _idleTimer = transport.Loop.CallLater(idle - quiet, OnIdleTimer);
            return;
        }

        _idleTimer = null;
        factory.CountIdleClose();
        transport.AbortConnection();
    }

    private void OnRequestTimer()
    {
        _requestTimer = null;
        factory.CountRequestTimeout();
        _transport!.AbortConnection();
    }

    private static long Written(ITransport transport) => transport is TransportBase counted ? counted.BytesWritten : 0;

    private void CancelTimers()
    {
        _idleTimer?.Cancel();
        _idleTimer = null;
        _requestTimer?.Cancel();
        _requestTimer = null;
    }
}
