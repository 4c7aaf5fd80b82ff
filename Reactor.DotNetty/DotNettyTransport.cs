using System.Buffers;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.DotNetty;

/// <summary>
/// A connection on a DotNetty channel. The channel's loop is the reactor loop's host, so its handler calls the protocol
/// directly, on the loop, with no hop. Received buffers are chained, uncopied, into the sequence the protocol reads and
/// released as it consumes them; writes go straight into pooled buffers (<see cref="ByteBufferOutput"/>), and received
/// bytes written back or forwarded go as retained slices, with no copy; a turn's buffers are written and flushed once
/// at its end.
/// Bytes count as sent when DotNetty has written them to the socket, so the producer watermarks of the base follow the
/// channel's outbound buffer (the same watermarks are set on the channel, so its writability agrees).
/// </summary>
internal sealed class DotNettyTransport : TransportBase
{
    private readonly IChannel _channel;
    private readonly ProtocolChannelHandler _handler;
    private readonly ByteBufferOutput _output;
    private ByteBufferSegment? _head;
    private ByteBufferSegment? _tail;
    private int _headIndex;
    private long _buffered;
    private bool _started;
    private bool _delivering;
    private bool _inactive;
    private bool _inReadBatch;
    private ByteBufferSegment? _freeSegments;
    private int _freeCount;
    private bool _lostReported;
    private bool _inputShut;
    private bool _inputShutHandled;
    private Task? _lastWrite;

    public DotNettyTransport(EventLoop loop, IChannel channel, ProtocolChannelHandler handler, TransportOptions options, ILogger logger, ConnectionTracker? tracker)
        : this(loop, channel, handler, options, logger, tracker, new ByteBufferOutput(channel.Allocator))
    {
    }

    private DotNettyTransport(EventLoop loop, IChannel channel, ProtocolChannelHandler handler, TransportOptions options, ILogger logger, ConnectionTracker? tracker, ByteBufferOutput output)
        : base(loop, new DotNettyConnectionChannel(channel), options, logger, tracker, output)
    {
        _channel = channel;
        _handler = handler;
        _output = output;
    }

    private const int MaxFreeSegments = 8;

    /// <summary>A received buffer; the transport owns it from here. Channel loop.</summary>
    public void OnReceived(IByteBuffer buffer)
    {
        // The first read of a batch: writes the protocol makes until read-complete are flushed then, in one go, without
        // a turn queued on the DotNetty loop for them.
        if (!_inReadBatch)
        {
            _inReadBatch = true;
            Loop.BeginHostCallbacks();
        }

        var length = buffer.ReadableBytes;
        if (ReadingStopped || length == 0)
        {
            buffer.Release();
            return;
        }

        ReactorDiagnostics.BytesReceived.Add(length);
        var reuse = _freeSegments;
        if (reuse is not null)
        {
            _freeSegments = reuse.NextFree;
            _freeCount--;
        }

        var segment = ByteBufferSegment.Wrap(buffer, _tail is null ? 0 : _tail.RunningIndex + _tail.Memory.Length, reuse);
        if (_tail is null)
        {
            _head = segment;
            _headIndex = 0;
        }
        else
        {
            _tail.Link(segment);
        }

        _tail = segment;
        _buffered += length;
        if (_started && !ReadPaused)
        {
            Deliver();
        }
    }

    /// <summary>DotNetty read what the socket had. Channel loop.</summary>
    public void OnReadComplete() => EndReadBatch();

    private void EndReadBatch()
    {
        if (_inReadBatch)
        {
            _inReadBatch = false;
            Loop.EndHostCallbacks();
        }
    }

    /// <summary>The channel closed (by the peer, or by this side). Channel loop.</summary>
    public void OnInactive()
    {
        Loop.EnterHostThread();
        EndReadBatch();
        _inactive = true;
        SetReason(new ConnectionDoneException("The peer closed the connection."));

        if (!_started)
        {
            // OnConnectionMade comes back here once the protocol has heard of the connection.
            return;
        }

        // Bytes held for a paused protocol are still its to read; the loss waits for them (ResumeProducing delivers).
        if (_buffered == 0 || ReadingStopped)
        {
            ReportLost();
        }
        else if (!ReadPaused)
        {
            Deliver();
        }
    }

    /// <summary>The peer finished sending: its FIN, which <see cref="HalfClosingSocketChannel"/> makes an event, not a close. Channel loop.</summary>
    public void OnInputShutdown()
    {
        Loop.EnterHostThread();
        _inputShut = true;

        // Before ConnectionMade, OnConnectionMade comes back here.
        if (_started)
        {
            InputEndedIfDelivered();
        }
    }

    /// <summary>The pipeline failed (a socket error, a TLS error). Channel loop.</summary>
    public void OnError(Exception error)
    {
        Loop.EnterHostThread();
        SetReason(Translate(error, "receiving"));
    }

    protected override void StartIo()
    {
        var config = _channel.Configuration;
        config.SetOption(ChannelOption.WriteBufferHighWaterMark, (int)Math.Min(int.MaxValue, Options.WriteHighWatermark));
        config.SetOption(ChannelOption.WriteBufferLowWaterMark, (int)Math.Min(int.MaxValue, Options.WriteLowWatermark));
        _handler.Attach(this);
    }

    // Bytes that arrived during ConnectionMade (or before, with TLS) reach the protocol only now.
    protected override void OnConnectionMade()
    {
        _started = true;
        ReadingChanged();
        if (_inactive)
        {
            OnInactive();
        }
        else if (_inputShut && !ReadPaused)
        {
            // Bytes that came before the FIN are offered first (ReadingChanged posted them).
            Loop.Post(static s => ((DotNettyTransport)s!).DeliverIfReading(), this);
        }
    }

    protected override void SendFlushed()
    {
        // Written together and flushed once; writes complete in order, so the last one's completion says all of them
        // reached the socket.
        Task? write = null;
        long length = 0;
        try
        {
            while (_output.TryTake(out var buffer))
            {
                length += buffer.ReadableBytes;
                write = _channel.WriteAsync(buffer);
            }
        }
        catch
        {
            // The channel owns what it took; the buffers it never got go back to the pool.
            _output.Release();
            throw;
        }

        if (write is null)
        {
            return;
        }

        _channel.Flush();
        _lastWrite = write;
        if (write.IsCompletedSuccessfully)
        {
            Sent(length);
        }
        else
        {
            _ = write.ContinueWith(
                static (t, s) =>
                {
                    var (transport, count) = ((DotNettyTransport, long))s!;
                    transport.WriteDone(t, count);
                },
                (this, length),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    protected override void ReadingChanged()
    {
        if (!_started && !ReadingStopped)
        {
            return;
        }

        if (ReadingStopped)
        {
            _channel.Configuration.AutoRead = false;
            ReleaseBuffered();
            return;
        }

        // DotNetty's own backpressure: no reads while the protocol is paused, so the socket's window closes on the peer.
        // Never again once the input ended: the channel would only read its end again.
        _channel.Configuration.AutoRead = !ReadPaused && !_inputShut;
        if (!ReadPaused && _buffered > 0)
        {
            // Not inline: ResumeProducing may be called from inside the protocol's own DataReceived.
            Loop.Post(static s => ((DotNettyTransport)s!).DeliverIfReading(), this);
        }
    }

    protected override void CloseWhenSent()
    {
        // DotNetty's close fails writes still in its outbound buffer: close after the last one is on the socket.
        if (_lastWrite is { IsCompleted: false } last)
        {
            _ = last.ContinueWith(static (_, c) => ((IChannel)c!).CloseAsync(), _channel, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            _ = _channel.CloseAsync();
        }
    }

    protected override void ShutDownOutputWhenSent()
    {
        // Like closing: the FIN goes after the last write is on the socket.
        if (_lastWrite is { IsCompleted: false } last)
        {
            _ = last.ContinueWith(
                static (_, s) => ((DotNettyTransport)s!).Loop.Post(static t => ((DotNettyTransport)t!).ShutDownOutput(), s),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        else
        {
            ShutDownOutput();
        }
    }

    protected override void Reset() => Channel.Abort();

    protected override void ReleaseResources()
    {
        ReleaseBuffered();
        _output.Release();
    }

    private void WriteDone(Task write, long count)
    {
        if (write.IsCompletedSuccessfully)
        {
            Sent(count);
        }
        else if (write.Exception is { } error)
        {
            SetReason(Translate(error.GetBaseException(), "sending"));
        }
    }

    private void DeliverIfReading()
    {
        if (!ReadPaused && !ReadingStopped && _buffered > 0)
        {
            Deliver();
        }
        else if (_inactive && (ReadingStopped || _buffered == 0))
        {
            ReportLost();
        }
        else
        {
            InputEndedIfDelivered();
        }
    }

    // The peer's FIN, once what came before it was offered to the protocol (a paused protocol gets it after resuming):
    // a half-closeable protocol hears it and the channel stays open for writing; any other is closed, as DotNetty would.
    private void InputEndedIfDelivered()
    {
        if (!_inputShut || _inputShutHandled || _inactive || (ReadPaused && _buffered > 0 && !ReadingStopped))
        {
            return;
        }

        _inputShutHandled = true;
        if (ReadingStopped || KeepOpenAfterPeerFinished())
        {
            return;
        }

        SetReason(new ConnectionDoneException("The peer closed the connection."));
        _ = _channel.CloseAsync();
    }

    private void ShutDownOutput()
    {
        if (!ShuttingDownOutput)
        {
            return;
        }

        _ = Channel.ShutdownOutputAsync().ContinueWith(
            static (t, s) =>
            {
                var transport = (DotNettyTransport)s!;
                if (t.IsCompletedSuccessfully)
                {
                    transport.Loop.Post(static u => ((DotNettyTransport)u!).OutputShutDown(), transport);
                }
                else
                {
                    var reason = transport.Translate(t.Exception!.GetBaseException(), "shutting down the write half");
                    transport.Loop.Post(
                        static u =>
                        {
                            var (target, error) = ((DotNettyTransport, Exception))u!;
                            if (!target.Disconnecting)
                            {
                                target.Fail(error);
                            }
                        },
                        (transport, reason));
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Deliver()
    {
        if (_delivering)
        {
            return;
        }

        _delivering = true;
        try
        {
            // Once per arrival, like the default reactor: what the protocol leaves is offered again with the next bytes.
            if (_head is { } head && !ReadPaused && !ReadingStopped)
            {
                var tail = _tail!;
                var buffer = new ReadOnlySequence<byte>(head, _headIndex, tail, tail.Memory.Length);
                if (TryDeliver(buffer, out var consumed))
                {
                    ReleaseUpTo(consumed);
                    WithinReadLimit(_buffered);
                }
            }
        }
        finally
        {
            _delivering = false;
        }

        if (_inactive && (ReadingStopped || _buffered == 0 || !ReadPaused))
        {
            ReportLost();
        }
        else
        {
            InputEndedIfDelivered();
        }
    }

    // A consumed segment is in no sequence any more (a protocol may not keep one past DataReceived): it carries the
    // next buffer. A few are kept, enough for the buffers one read batch brings.
    private void Recycle(ByteBufferSegment segment)
    {
        if (_freeCount < MaxFreeSegments)
        {
            segment.NextFree = _freeSegments;
            _freeSegments = segment;
            _freeCount++;
        }
    }

    // Releases every buffer the protocol consumed entirely; the one it stopped in stays, from where it stopped.
    private void ReleaseUpTo(SequencePosition consumed)
    {
        var stopIn = consumed.GetObject() as ByteBufferSegment;
        var stopAt = consumed.GetInteger();
        while (_head is { } head)
        {
            if (ReferenceEquals(head, stopIn) && stopAt < head.Memory.Length)
            {
                _buffered -= stopAt - _headIndex;
                _headIndex = stopAt;
                return;
            }

            _buffered -= head.Memory.Length - _headIndex;
            var next = (ByteBufferSegment?)head.Next;
            head.Buffer.Release();
            Recycle(head);
            _head = next;
            _headIndex = 0;
            if (next is null)
            {
                _tail = null;
            }

            if (ReferenceEquals(head, stopIn))
            {
                return;
            }
        }
    }

    private void ReleaseBuffered()
    {
        while (_head is { } head)
        {
            _head = (ByteBufferSegment?)head.Next;
            head.Buffer.Release();
        }

        _tail = null;
        _headIndex = 0;
        _buffered = 0;
    }

    private void ReportLost()
    {
        if (!_lostReported)
        {
            _lostReported = true;
            ConnectionLost();
        }
    }
}
