using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A connection on a loop, Kestrel-style: a receive pump fills an input pipe from the socket, the loop hands the
/// buffered bytes to the protocol and advances by what it consumed; writes go into an output pipe that is flushed
/// once per loop turn and drained by a send pump in as few system calls as possible.
/// </summary>
internal sealed class StreamTransport : IConnectionTransport, IBufferWriter<byte>
{
    private const int MinReceiveBuffer = 4096;

    private readonly IByteChannel _channel;
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Action _flush;
    private readonly ConnectionTracker? _tracker;
    private IProtocol? _protocol;
    private Action<Exception>? _onLost;
    private IPushProducer? _producer;
    private Exception? _closeReason;
    private TaskCompletionSource? _resumed;
    private long _pendingWrite;
    private bool _flushScheduled;
    private bool _producerPaused;
    private bool _readPaused;
    private bool _outputCompleted;
    private bool _lost;
    private bool _stopReading;

    public StreamTransport(EventLoop loop, IByteChannel channel, TransportOptions options, ILogger logger, ConnectionTracker? tracker = null)
    {
        _tracker = tracker;
        Loop = loop;
        _channel = channel;
        _options = options;
        _logger = logger;
        var readLimit = Math.Max(MinReceiveBuffer * 2, options.MaxBufferedReadBytes);
        _input = new Pipe(new PipeOptions(
            readerScheduler: loop.PipeScheduler,
            writerScheduler: PipeScheduler.ThreadPool,
            pauseWriterThreshold: readLimit,
            resumeWriterThreshold: readLimit / 2,
            useSynchronizationContext: false));
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

    public long PendingWriteBytes => Interlocked.Read(ref _pendingWrite);

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

    /// <summary>Attaches the protocol and starts the pumps. Loop thread only.</summary>
    public void Start(IProtocol protocol, Action<Exception>? onLost = null)
    {
        _protocol = protocol;
        _onLost = onLost;
        _tracker?.Add(this);
        ReactorDiagnostics.Connections.Add(1);
        _ = ReceivePumpAsync();
        _ = SendPumpAsync();
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "ConnectionMade failed for {Peer}", Peer);
            Fail(e);
        }

        _ = ReadLoopAsync();
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (!Loop.IsLoopThread)
        {
            WriteFromOtherThread(data.ToArray());
            return;
        }

        if (_outputCompleted || data.IsEmpty)
        {
            return;
        }

        _output.Writer.Write(data);
        Written(data.Length);
    }

    // Its own method so the closure is allocated only on this path, not on every loop-thread write.
    private void WriteFromOtherThread(byte[] copy) => Loop.CallFromThread(() => Write(copy));

    public void WriteSequence(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            Write(segment.Span);
        }
    }

    void IBufferWriter<byte>.Advance(int count)
    {
        if (_outputCompleted)
        {
            return;
        }

        _output.Writer.Advance(count);
        Written(count);
    }

    // After close, encoders still get a buffer so they need no special case; what they write is dropped, as Write drops it.
    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) =>
        _outputCompleted ? new byte[Math.Max(sizeHint, 256)] : _output.Writer.GetMemory(sizeHint);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) =>
        _outputCompleted ? new byte[Math.Max(sizeHint, 256)] : _output.Writer.GetSpan(sizeHint);

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
        CompleteOutput();
        WakeReadLoop();
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

    public void PauseProducing() => _readPaused = true;

    public void ResumeProducing()
    {
        _readPaused = false;
        WakeReadLoop();
    }

    public void StopProducing() => LoseConnection();

    private void Written(int count)
    {
        var pending = Interlocked.Add(ref _pendingWrite, count);
        ReactorDiagnostics.AddPendingWriteBytes(count);
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
        if (!_outputCompleted)
        {
            _ = _output.Writer.FlushAsync();
        }
    }

    private void Sent(long count)
    {
        var pending = Interlocked.Add(ref _pendingWrite, -count);
        ReactorDiagnostics.AddPendingWriteBytes(-count);
        ReactorDiagnostics.BytesSent.Add(count);
        if (pending <= _options.WriteLowWatermark && Volatile.Read(ref _producerPaused))
        {
            Loop.Execute(ResumeProducer);
        }
    }

    private void ResumeProducer()
    {
        if (_producerPaused && PendingWriteBytes <= _options.WriteLowWatermark && !_lost)
        {
            _producerPaused = false;
            _producer?.ResumeProducing();
        }
    }

    private void CompleteOutput()
    {
        if (!_outputCompleted)
        {
            _outputCompleted = true;
            _output.Writer.Complete();
        }
    }

    /// <summary>Fails the connection now with <paramref name="reason"/> (unless it already has a reason). Loop thread.</summary>
    private void Fail(Exception reason)
    {
        SetReason(reason);
        Disconnecting = true;
        _stopReading = true;

        // Reset the socket before completing the output: completing wakes the send pump inline, which must find
        // nothing left to send to.
        _channel.Abort();
        CompleteOutput();
        WakeReadLoop();
    }

    private void SetReason(Exception reason) => Interlocked.CompareExchange(ref _closeReason, reason, null);

    private void WakeReadLoop()
    {
        var resumed = _resumed;
        _resumed = null;
        resumed?.TrySetResult();
    }

    private async Task ReceivePumpAsync()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinReceiveBuffer);
                var read = await _channel.ReceiveAsync(memory).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                ReactorDiagnostics.BytesReceived.Add(read);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }

        SetReason(error is null
            ? new ConnectionDoneException("The peer closed the connection.")
            : Translate(error, "receiving"));
        await writer.CompleteAsync().ConfigureAwait(false);
    }

    private async Task SendPumpAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;

                // Measured before AdvanceTo: that returns the segments to the pool and the sequence is dead after.
                var length = buffer.Length;
                if (length > 0)
                {
                    await _channel.SendAsync(buffer).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.End);
                if (length > 0)
                {
                    Sent(length);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }

            // Everything written before LoseConnection is out: close, which ends the receive pump.
            _channel.Dispose();
        }
        catch (Exception e)
        {
            SetReason(Translate(e, "sending"));
            _channel.Abort();
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = _input.Reader;
        while (true)
        {
            if (_readPaused && !_stopReading)
            {
                _resumed = new TaskCompletionSource();
                await _resumed.Task;
                continue;
            }

            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            if (_stopReading)
            {
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }

                continue;
            }

            if (_readPaused)
            {
                reader.AdvanceTo(buffer.Start, buffer.Start);
                continue;
            }

            var consumed = Deliver(buffer);
            var unconsumed = buffer.Slice(consumed).Length;
            reader.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }

            if (unconsumed >= _options.MaxBufferedReadBytes)
            {
                Fail(new FrameTooLargeException(
                    $"{unconsumed} bytes from {Peer} were buffered without completing a frame (limit {_options.MaxBufferedReadBytes})."));
            }
        }

        await reader.CompleteAsync();
        ConnectionLost();
    }

    private SequencePosition Deliver(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return buffer.Start;
        }

        try
        {
            return _protocol!.DataReceived(buffer);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "DataReceived failed for {Peer}; closing the connection", Peer);
            Fail(e);
            return buffer.End;
        }
    }

    private void ConnectionLost()
    {
        if (_lost)
        {
            return;
        }

        _lost = true;
        Disconnecting = true;
        CompleteOutput();
        _channel.Dispose();
        var unsent = Interlocked.Exchange(ref _pendingWrite, 0);
        ReactorDiagnostics.AddPendingWriteBytes(-unsent);
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

    private Exception Translate(Exception error, string doing) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } s =>
            new ConnectionLostException($"The connection to {Peer} was reset while {doing}.", true, s),
        ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted } =>
            new ConnectionDoneException("The connection was closed."),
        _ => new ConnectionLostException($"The connection to {Peer} failed while {doing}: {error.Message}", true, error),
    };
}
