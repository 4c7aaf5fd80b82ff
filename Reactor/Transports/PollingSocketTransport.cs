using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A plain socket read and written by its own loop thread, as in Twisted's epollreactor: the loop's epoll says the
/// socket is readable, the loop reads into the connection's buffer and hands the bytes to the protocol at once;
/// writes of a turn are gathered and sent at the end of the turn, and only what the kernel refuses waits for
/// <c>EPOLLOUT</c>. Same contract as <see cref="StreamTransport"/>, with no thread between the kernel and the protocol.
/// </summary>
internal sealed class PollingSocketTransport : IConnectionTransport, IBufferWriter<byte>, IReadinessHandler
{
    private const int MinFreeSpace = 8 << 10;
    private const int InitialReadBuffer = 16 << 10;
    private const int MaxReadsPerWakeup = 8;
    private const int MaxGatheredSegments = 64;

    private readonly EpollPoller _poller;
    private readonly SocketChannel _channel;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionTracker? _tracker;
    private readonly Pipe _output;
    private readonly Action _flush;
    private readonly List<ArraySegment<byte>> _gather = [];
    private byte[] _input;
    private int _inputStart;
    private int _inputEnd;
    private IProtocol? _protocol;
    private Action<Exception>? _onLost;
    private IPushProducer? _producer;
    private Exception? _closeReason;
    private ulong _token;
    private uint _interest;
    private long _pendingWrite;
    private long _unreported;
    private bool _registered;
    private bool _flushScheduled;
    private bool _producerPaused;
    private bool _readPaused;
    private bool _stopReading;
    private bool _closeWhenSent;
    private bool _closed;
    private bool _lost;

    public PollingSocketTransport(EventLoop loop, EpollPoller poller, SocketChannel channel, TransportOptions options, ILogger logger, ConnectionTracker? tracker)
    {
        Loop = loop;
        _poller = poller;
        _channel = channel;
        _socket = channel.Socket;
        _socket.Blocking = false;
        _fd = (int)_socket.Handle;
        _options = options;
        _logger = logger;
        _tracker = tracker;
        _input = ArrayPool<byte>.Shared.Rent(InitialReadBuffer);
        _output = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            useSynchronizationContext: false));
        _flush = Flush;
        Peer = channel.RemoteEndPoint;
        Host = channel.LocalEndPoint;
    }

    public EventLoop Loop { get; }

    public EndPoint Peer { get; }

    public EndPoint Host { get; }

    public bool Disconnecting { get; private set; }

    public IBufferWriter<byte> Output => this;

    // Written on the loop thread only; a 64-bit read is atomic where this transport runs (x86-64).
    public long PendingWriteBytes => Volatile.Read(ref _pendingWrite);

    public bool NoDelay
    {
        get => _channel.NoDelay;
        set => _channel.NoDelay = value;
    }

    public bool KeepAlive
    {
        get => _channel.KeepAlive;
        set => _channel.KeepAlive = value;
    }

    public void Start(IProtocol protocol, Action<Exception>? onLost = null)
    {
        _protocol = protocol;
        _onLost = onLost;
        _tracker?.Add(this);
        ReactorDiagnostics.Connections.Add(1);
        UpdateInterest();
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "ConnectionMade failed for {Peer}", Peer);
            Fail(e);
        }
    }

    public void OnReadiness(uint events)
    {
        if ((events & (EpollNative.Out | EpollNative.Error | EpollNative.HangUp)) != 0 && (_interest & EpollNative.Out) != 0)
        {
            SendPending();
        }

        if ((events & (EpollNative.In | EpollNative.Error | EpollNative.HangUp | EpollNative.ReadHangUp)) != 0)
        {
            ReadAvailable();
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (!Loop.IsLoopThread)
        {
            WriteFromOtherThread(data.ToArray());
            return;
        }

        if (_closed || _closeWhenSent || data.IsEmpty)
        {
            return;
        }

        _output.Writer.Write(data);
        Written(data.Length);
    }

    public void WriteSequence(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            Write(segment.Span);
        }
    }

    void IBufferWriter<byte>.Advance(int count)
    {
        if (_closed || _closeWhenSent)
        {
            return;
        }

        _output.Writer.Advance(count);
        Written(count);
    }

    // After close, encoders still get a buffer so they need no special case; what they write is dropped, as Write drops it.
    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) =>
        _closed || _closeWhenSent ? new byte[Math.Max(sizeHint, 256)] : _output.Writer.GetMemory(sizeHint);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) =>
        _closed || _closeWhenSent ? new byte[Math.Max(sizeHint, 256)] : _output.Writer.GetSpan(sizeHint);

    public void LoseConnection()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(LoseConnection);
            return;
        }

        if (Disconnecting)
        {
            return;
        }

        Disconnecting = true;
        _stopReading = true;
        SetReason(new ConnectionDoneException("The connection was closed cleanly."));
        Flush();
        _closeWhenSent = true;
        if (!_closed && PendingWriteBytes == 0)
        {
            Close(abort: false);
        }
        else
        {
            UpdateInterest();
        }
    }

    public void AbortConnection()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(AbortConnection);
            return;
        }

        Fail(new ConnectionAbortedException("The connection was aborted by this side."));
    }

    public void RegisterProducer(IPushProducer producer)
    {
        if (_producer is not null)
        {
            throw new InvalidOperationException("A producer is already registered with this transport.");
        }

        _producer = producer;
        _producerPaused = false;
        if (PendingWriteBytes > _options.WriteHighWatermark)
        {
            _producerPaused = true;
            producer.PauseProducing();
        }
    }

    public void UnregisterProducer() => _producer = null;

    public void PauseProducing()
    {
        _readPaused = true;
        UpdateInterest();
    }

    public void ResumeProducing()
    {
        if (!_readPaused)
        {
            return;
        }

        _readPaused = false;
        UpdateInterest();

        // Bytes read before the pause are delivered on a later turn, not inside the caller's stack.
        if (_inputEnd > _inputStart)
        {
            Loop.Post(static s => ((PollingSocketTransport)s!).Deliver(), this);
        }
    }

    public void StopProducing() => LoseConnection();

    // Its own method so the closure is allocated only on this path, not on every loop-thread write.
    private void WriteFromOtherThread(byte[] copy) => Loop.CallFromThread(() => Write(copy));

    // Called for every piece an encoder commits, so it stays cheap: the process-wide gauge is updated once per flush.
    private void Written(int count)
    {
        var pending = _pendingWrite += count;
        _unreported += count;
        if (pending > _options.MaxPendingWriteBytes)
        {
            Fail(new WriteBufferOverflowException(
                $"{pending} bytes are waiting to be sent to {Peer}, over the limit of {_options.MaxPendingWriteBytes}; the writer ignored PauseProducing."));
            return;
        }

        if (pending > _options.WriteHighWatermark && _producer is { } producer && !_producerPaused)
        {
            _producerPaused = true;
            producer.PauseProducing();
        }

        if (!_flushScheduled)
        {
            _flushScheduled = true;
            Loop.RunAtEndOfTurn(_flush);
        }
    }

    private void Flush()
    {
        _flushScheduled = false;
        if (_closed)
        {
            return;
        }

        ReactorDiagnostics.AddPendingWriteBytes(_unreported);
        _unreported = 0;

        // Never pauses: the pipe has no writer threshold; the flush only makes the bytes visible to TryRead.
        _ = _output.Writer.FlushAsync();
        if ((_interest & EpollNative.Out) == 0)
        {
            SendPending();
        }
    }

    private void SendPending()
    {
        var reader = _output.Reader;
        while (!_closed && reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            if (buffer.IsEmpty)
            {
                reader.AdvanceTo(buffer.End);
                break;
            }

            var sent = SendSome(buffer, out var error);
            reader.AdvanceTo(buffer.GetPosition(sent));
            if (sent > 0)
            {
                Sent(sent);
            }

            if (error == SocketError.WouldBlock)
            {
                WaitWritable(true);
                return;
            }

            if (error != SocketError.Success)
            {
                Fail(Translate(new SocketException((int)error), "sending"));
                return;
            }
        }

        WaitWritable(false);
        if (_closeWhenSent && !_closed && PendingWriteBytes == 0)
        {
            Close(abort: false);
        }
    }

    private int SendSome(in ReadOnlySequence<byte> buffer, out SocketError error)
    {
        if (buffer.IsSingleSegment)
        {
            return Math.Max(0, _socket.Send(buffer.FirstSpan, SocketFlags.None, out error));
        }

        _gather.Clear();
        foreach (var segment in buffer)
        {
            if (!MemoryMarshal.TryGetArray(segment, out var array))
            {
                break;
            }

            _gather.Add(array);
            if (_gather.Count == MaxGatheredSegments)
            {
                break;
            }
        }

        if (_gather.Count == 0)
        {
            return Math.Max(0, _socket.Send(buffer.FirstSpan, SocketFlags.None, out error));
        }

        return Math.Max(0, _socket.Send(_gather, SocketFlags.None, out error));
    }

    private void Sent(long count)
    {
        var pending = _pendingWrite -= count;
        ReactorDiagnostics.AddPendingWriteBytes(-count);
        ReactorDiagnostics.BytesSent.Add(count);
        if (pending <= _options.WriteLowWatermark && _producerPaused && !_lost)
        {
            _producerPaused = false;
            _producer?.ResumeProducing();
        }
    }

    private void WaitWritable(bool wait)
    {
        var want = wait ? _interest | EpollNative.Out : _interest & ~EpollNative.Out;
        if (want != _interest)
        {
            SetInterest(want);
        }
    }

    private void ReadAvailable()
    {
        for (var reads = 0; reads < MaxReadsPerWakeup && CanRead; reads++)
        {
            EnsureFreeSpace();
            var space = _input.Length - _inputEnd;
            var read = _socket.Receive(_input.AsSpan(_inputEnd, space), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Fail(Translate(new SocketException((int)error), "receiving"));
                return;
            }

            if (read == 0)
            {
                SetReason(new ConnectionDoneException("The peer closed the connection."));
                Close(abort: false);
                return;
            }

            _inputEnd += read;
            ReactorDiagnostics.BytesReceived.Add(read);
            Deliver();
            if (read < space)
            {
                return;
            }
        }
    }

    private bool CanRead => !_closed && !_stopReading && !_readPaused;

    private void Deliver()
    {
        if (!CanRead || _inputEnd == _inputStart)
        {
            return;
        }

        var buffer = new ReadOnlySequence<byte>(_input, _inputStart, _inputEnd - _inputStart);
        SequencePosition consumed;
        try
        {
            consumed = _protocol!.DataReceived(buffer);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "DataReceived failed for {Peer}; closing the connection", Peer);
            Fail(e);
            return;
        }

        _inputStart += (int)buffer.Slice(0, consumed).Length;
        if (_inputStart == _inputEnd)
        {
            _inputStart = _inputEnd = 0;
        }
        else if (_inputEnd - _inputStart >= _options.MaxBufferedReadBytes)
        {
            Fail(new FrameTooLargeException(
                $"{_inputEnd - _inputStart} bytes from {Peer} were buffered without completing a frame (limit {_options.MaxBufferedReadBytes})."));
        }
    }

    /// <summary>Makes room for the next read: slides a partial frame to the front, or grows the buffer for a large one.</summary>
    private void EnsureFreeSpace()
    {
        if (_input.Length - _inputEnd >= MinFreeSpace)
        {
            return;
        }

        var unconsumed = _inputEnd - _inputStart;
        var target = _input;
        if (_input.Length - unconsumed < MinFreeSpace || unconsumed > _input.Length / 2)
        {
            target = ArrayPool<byte>.Shared.Rent(Math.Max(_input.Length * 2, unconsumed + MinFreeSpace));
        }

        Buffer.BlockCopy(_input, _inputStart, target, 0, unconsumed);
        if (!ReferenceEquals(target, _input))
        {
            ArrayPool<byte>.Shared.Return(_input);
            _input = target;
        }

        _inputStart = 0;
        _inputEnd = unconsumed;
    }

    private void UpdateInterest()
    {
        var want = _interest & EpollNative.Out;
        if (!_stopReading && !_readPaused)
        {
            want |= EpollNative.In | EpollNative.ReadHangUp;
        }

        SetInterest(want);
    }

    private void SetInterest(uint want)
    {
        if (_closed || (want == _interest && _registered == (want != 0)))
        {
            return;
        }

        // With no interest the descriptor leaves the set: epoll reports hang-ups regardless, which would spin a paused connection.
        if (want == 0)
        {
            if (_registered)
            {
                _poller.Unregister(_fd, _token);
                _registered = false;
            }
        }
        else if (_registered)
        {
            _poller.Modify(_fd, _token, want);
        }
        else
        {
            _token = _poller.Register(_fd, want, this);
            _registered = true;
        }

        _interest = want;
    }

    private void Fail(Exception reason)
    {
        SetReason(reason);
        Close(abort: true);
    }

    private void SetReason(Exception reason) => _closeReason ??= reason;

    private void Close(bool abort)
    {
        Disconnecting = true;
        _stopReading = true;
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_registered)
        {
            _poller.Unregister(_fd, _token);
            _registered = false;
        }

        if (abort)
        {
            _channel.Abort();
        }
        else
        {
            _channel.Dispose();
        }

        // Twisted calls connectionLost on a later turn, never inside the call that closed the connection.
        Loop.Post(static s => ((PollingSocketTransport)s!).ConnectionLost(), this);
    }

    private void ConnectionLost()
    {
        if (_lost)
        {
            return;
        }

        _lost = true;
        _output.Writer.Complete();
        _output.Reader.Complete();
        ArrayPool<byte>.Shared.Return(_input);
        _input = [];
        _inputStart = _inputEnd = 0;
        ReactorDiagnostics.AddPendingWriteBytes(_unreported - _pendingWrite);
        _pendingWrite = _unreported = 0;
        ReactorDiagnostics.Connections.Add(-1);
        _tracker?.Remove(this);
        var reason = _closeReason ?? new ConnectionDoneException("The connection was closed.");
        try
        {
            _protocol!.ConnectionLost(reason);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "ConnectionLost failed for {Peer}", Peer);
        }

        _onLost?.Invoke(reason);
    }

    private Exception Translate(SocketException error, string doing) => error.SocketErrorCode switch
    {
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown =>
            new ConnectionLostException($"The connection to {Peer} was reset while {doing}.", true, error),
        _ => new ConnectionLostException($"The connection to {Peer} failed while {doing}: {error.Message}", true, error),
    };
}
