using System.Buffers;

namespace ReactiveKv.Testing;

/// <summary>
/// One direction of a <see cref="FaultProxyConnection"/>: bytes read from <see cref="Source"/> wait in a queue until
/// their due time (latency, jitter, bandwidth) and are then written to <see cref="Destination"/>. It is the producer
/// registered with the destination, and pauses the source while the destination or the queue itself is full, so a
/// slow or delayed link pushes back on the sender as a real one would. Loop thread only.
/// </summary>
internal sealed class ProxyPipe : IPushProducer
{
    // Enough to keep a fast link busy through a delay; bounded so a stalled peer cannot grow the proxy's memory.
    private const long HighWatermark = 256 * 1024;
    private const long LowWatermark = 64 * 1024;

    private readonly FaultProxyConnection _connection;
    private readonly ProxyDirection _direction;
    private readonly Queue<Chunk> _queue = new();
    private long _queuedBytes;
    private int _headOffset;
    private DateTimeOffset _lastDue = DateTimeOffset.MinValue;
    private DateTimeOffset _linkFreeAt = DateTimeOffset.MinValue;
    private IDelayedCall? _timer;
    private bool _turnScheduled;
    private bool _consumerPaused;
    private bool _sourcePaused;
    private bool _sourceEnded;

    public ProxyPipe(FaultProxyConnection connection, ProxyDirection direction)
    {
        _connection = connection;
        _direction = direction;
    }

    public ITcpTransport? Source { get; set; }

    public ITcpTransport? Destination { get; set; }

    /// <summary>Set when the connection is being reset: nothing more is forwarded.</summary>
    public bool Stopped { get; set; }

    private EventLoop Loop => _connection.Loop!;

    public void Enqueue(in ReadOnlySequence<byte> data)
    {
        try
        {
            EnqueueCore(data);
        }
        finally
        {
            // Counted once the bytes are queued and their timer armed, so a test that sees the count can move a virtual clock.
            _connection.Proxy.Read(_direction, data.Length);
        }
    }

    private void EnqueueCore(in ReadOnlySequence<byte> data)
    {
        var settings = _connection.Proxy.Settings;
        if (Stopped || data.IsEmpty || settings.BlackHole || Dropping())
        {
            return;
        }

        var now = Loop.Now;
        var delay = settings.Latency(_direction);
        var jitter = settings.Jitter(_direction);
        if (jitter > TimeSpan.Zero)
        {
            delay += TimeSpan.FromTicks((long)((Random.Shared.NextDouble() * 2 - 1) * jitter.Ticks));
        }

        // Jitter varies the delay, never the order: TCP delivers in order, so a chunk is never due before the previous one.
        var due = now + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        if (due < _lastDue)
        {
            due = _lastDue;
        }

        var bytes = data.ToArray();
        var bandwidth = settings.BandwidthBytesPerSecond;
        if (bandwidth > 0)
        {
            // Pieces of about 1/20 s of the link, each due when the link would have finished carrying it.
            var piece = (int)Math.Clamp(bandwidth / 20, 1, 64 * 1024);
            for (var offset = 0; offset < bytes.Length; offset += piece)
            {
                var length = Math.Min(piece, bytes.Length - offset);
                var start = due > _linkFreeAt ? due : _linkFreeAt;
                due = start + TimeSpan.FromTicks(length * TimeSpan.TicksPerSecond / bandwidth);
                _linkFreeAt = due;
                Add(new Chunk(due, bytes.AsSpan(offset, length).ToArray()));
            }
        }
        else
        {
            Add(new Chunk(due, bytes));
        }

        _lastDue = due;
        UpdateSource();
        if (_timer is not { Active: true } && !_turnScheduled)
        {
            Pump();
        }
    }

    /// <summary>Writes every chunk that is due; arms a timer for the next one. Loop thread.</summary>
    public void Pump()
    {
        if (_timer is { Active: true } || _turnScheduled || Destination is not { } destination)
        {
            return;
        }

        while (_queue.TryPeek(out var head))
        {
            var settings = _connection.Proxy.Settings;
            if (Stopped || settings.BlackHole || Dropping())
            {
                Clear();
                break;
            }

            var now = Loop.Now;
            if (head.Due > now)
            {
                _timer = Loop.CallLater(head.Due - now, OnTimer);
                return;
            }

            var count = settings.SliceWrites ? 1 : head.Data.Length - _headOffset;
            var reset = _direction == ProxyDirection.Downstream && _connection.LimitDownstream(settings, count, out count);
            if (count > 0)
            {
                destination.Write(head.Data.AsSpan(_headOffset, count));
                _connection.Proxy.Forwarded(_direction, count);
                _headOffset += count;
                _queuedBytes -= count;
                if (_headOffset == head.Data.Length)
                {
                    _queue.Dequeue();
                    _headOffset = 0;
                }
            }

            if (reset)
            {
                _connection.ResetAfterThisTurn();
                return;
            }

            if (settings.SliceWrites && _queue.Count > 0)
            {
                if (settings.SliceDelay > TimeSpan.Zero)
                {
                    _timer = Loop.CallLater(settings.SliceDelay, OnTimer);
                    return;
                }

                // One byte per loop turn: writes of a turn are flushed together, so this is what makes 1-byte writes.
                _turnScheduled = true;
                Loop.CallFromThread(OnTurn);
                break;
            }
        }

        UpdateSource();
        if (_sourceEnded && _queue.Count == 0)
        {
            destination.LoseConnection();
            _connection.DestinationClosed();
        }
    }

    /// <summary>The source closed cleanly: close the destination once the queue has drained.</summary>
    public void SourceEnded()
    {
        _sourceEnded = true;
        if (_queue.Count == 0 && Destination is { } destination)
        {
            destination.LoseConnection();
        }
    }

    /// <summary>Drops everything queued.</summary>
    public void Clear()
    {
        _queue.Clear();
        _queuedBytes = 0;
        _headOffset = 0;

        // What was dropped no longer holds later bytes back.
        _lastDue = DateTimeOffset.MinValue;
        _linkFreeAt = DateTimeOffset.MinValue;
        if (_timer is { Active: true } timer)
        {
            timer.Cancel();
        }

        _timer = null;
    }

    /// <summary>Pauses or resumes the source: paused while there is nowhere to write, or the destination or the queue is full.</summary>
    public void UpdateSource()
    {
        if (Source is not { } source || source.Disconnecting)
        {
            return;
        }

        if (!_sourcePaused && (Destination is null || _consumerPaused || _queuedBytes > HighWatermark))
        {
            _sourcePaused = true;
            source.PauseProducing();
        }
        else if (_sourcePaused && Destination is not null && !_consumerPaused && _queuedBytes <= LowWatermark)
        {
            _sourcePaused = false;
            source.ResumeProducing();
        }
    }

    /// <inheritdoc />
    public void PauseProducing()
    {
        _consumerPaused = true;
        UpdateSource();
    }

    /// <inheritdoc />
    public void ResumeProducing()
    {
        _consumerPaused = false;
        UpdateSource();
    }

    /// <inheritdoc />
    public void StopProducing()
    {
        // The destination is going away; its ConnectionLost decides what happens to the source.
    }

    // Replies to a half-closed client have nowhere to go.
    private bool Dropping() => _direction == ProxyDirection.Downstream && _connection.IsHalfClosed;

    private void Add(Chunk chunk)
    {
        _queue.Enqueue(chunk);
        _queuedBytes += chunk.Data.Length;
        _connection.Proxy.Queued(_queuedBytes);
    }

    private void OnTimer()
    {
        _timer = null;
        Pump();
    }

    private void OnTurn()
    {
        _turnScheduled = false;
        Pump();
    }

    private readonly record struct Chunk(DateTimeOffset Due, byte[] Data);
}
