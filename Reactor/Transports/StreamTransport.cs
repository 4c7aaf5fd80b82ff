using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A connection moved by pumps, Kestrel-style: a receive pump fills an input pipe from the channel (a socket, or TLS),
/// the loop hands the buffered bytes to the protocol and advances by what it consumed; a send pump drains what
/// <see cref="TransportBase"/> flushes at the end of each turn, in as few calls as possible.
/// </summary>
internal sealed class StreamTransport : TransportBase
{
    private const int MinReceiveBuffer = 4096;

    private static readonly Action<object?> s_sendingDone = static s => ((StreamTransport)s!).SendingDone();
    private static readonly Action<object?> s_channelClosed = static s => ((StreamTransport)s!).ChannelClosed();
    private static readonly Action<object?> s_outputShutDown = static s => ((StreamTransport)s!).OutputShutDown();

    private readonly Pipe _input;
    private readonly IByteChannel _channel;
    private TaskCompletionSource? _resumed;
    private volatile bool _peerFinished;

    // Loop thread: the send pump sent everything and ended; the read loop ended; the channel is closed.
    private bool _sendDone;
    private bool _readLoopDone;
    private bool _channelClosed;

    public StreamTransport(EventLoop loop, IByteChannel channel, TransportOptions options, ILogger logger, ConnectionTracker? tracker = null)
        : base(loop, channel, options, logger, tracker)
    {
        _channel = channel;
        var readLimit = Math.Max(MinReceiveBuffer * 2, options.MaxBufferedReadBytes);
        _input = new Pipe(new PipeOptions(
            readerScheduler: loop.PipeScheduler,
            writerScheduler: PipeScheduler.ThreadPool,
            pauseWriterThreshold: readLimit,
            resumeWriterThreshold: readLimit / 2,
            useSynchronizationContext: false));
    }

    protected override void StartIo()
    {
        _ = ReceivePumpAsync();
        _ = SendPumpAsync();
    }

    // Started only now: bytes the pumps already buffered must not reach the protocol before ConnectionMade.
    protected override void OnConnectionMade() => _ = ReadLoopAsync();

    // The send pump is already waiting on the output pipe; the flush woke it.
    protected override void SendFlushed()
    {
    }

    protected override void ReadingChanged()
    {
        var resumed = _resumed;
        _resumed = null;
        resumed?.TrySetResult();
    }

    // The writes are closed, so the send pump ends after the last byte and the channel is closed then; unless it
    // already ended, having shut down the write half.
    protected override void CloseWhenSent()
    {
        if (_sendDone)
        {
            CloseChannel();
        }
    }

    // Likewise: the write half is shut down once the send pump has sent the last byte.
    protected override void ShutDownOutputWhenSent()
    {
    }

    protected override void Reset()
    {
        Channel.Abort();
        ChannelClosed();
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

        // A clean end of stream is the peer's half-close until the read loop knows whether the protocol can live with it.
        if (error is null)
        {
            _peerFinished = true;
        }
        else
        {
            SetReason(Translate(error, "receiving"));
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }

    private async Task SendPumpAsync()
    {
        var reader = Unsent;
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

            // Everything written before LoseConnection (or LoseWriteConnection) is out: the loop closes the channel,
            // which ends the receive pump, or shuts down its write half.
            Loop.Post(s_sendingDone, this);
        }
        catch (Exception e)
        {
            SetReason(Translate(e, "sending"));
            Channel.Abort();
            Loop.Post(s_channelClosed, this);
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
            if (ReadPaused && !ReadingStopped)
            {
                _resumed = new TaskCompletionSource();
                await _resumed.Task;
                continue;
            }

            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            if (ReadingStopped)
            {
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }

                continue;
            }

            if (ReadPaused)
            {
                reader.AdvanceTo(buffer.Start, buffer.Start);
                continue;
            }

            var consumed = buffer.Start;
            if (!buffer.IsEmpty)
            {
                TryDeliver(buffer, out consumed);
            }

            var unconsumed = buffer.Slice(consumed).Length;
            reader.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }

            WithinReadLimit(unconsumed);
        }

        await reader.CompleteAsync();
        _readLoopDone = true;
        if (_peerFinished && !ReadingStopped)
        {
            if (KeepOpenAfterPeerFinished())
            {
                // Half open: the loss is reported once the channel is closed.
                if (_channelClosed)
                {
                    ConnectionLost();
                }

                return;
            }

            SetReason(new ConnectionDoneException("The peer closed the connection."));
        }

        ConnectionLost();
    }

    private void SendingDone()
    {
        _sendDone = true;
        if (ShuttingDownOutput)
        {
            _ = ShutDownOutputAsync();
        }
        else
        {
            CloseChannel();
        }
    }

    private async Task ShutDownOutputAsync()
    {
        try
        {
            await _channel.ShutdownOutputAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var reason = Translate(e, "shutting down the write half");
            Loop.Post(
                static s =>
                {
                    // Unless a close came meanwhile (and cut the shutdown short).
                    var (transport, error) = ((StreamTransport, Exception))s!;
                    if (!transport.Disconnecting)
                    {
                        transport.Fail(error);
                    }
                },
                (this, reason));
            return;
        }

        Loop.Post(s_outputShutDown, this);
    }

    private void CloseChannel()
    {
        Channel.Dispose();
        ChannelClosed();
    }

    // After the read loop ended on a half-close, nothing else reports the loss: closing the channel does. Loop thread.
    private void ChannelClosed()
    {
        _channelClosed = true;
        if (_readLoopDone)
        {
            ConnectionLost();
        }
    }
}
