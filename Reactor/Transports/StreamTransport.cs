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

    private readonly Pipe _input;
    private readonly IByteChannel _channel;
    private TaskCompletionSource? _resumed;

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

    // The writes are closed, so the send pump ends after the last byte and closes the channel itself.
    protected override void CloseWhenSent()
    {
    }

    protected override void Reset() => Channel.Abort();

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

            // Everything written before LoseConnection is out: close, which ends the receive pump.
            Channel.Dispose();
        }
        catch (Exception e)
        {
            SetReason(Translate(e, "sending"));
            Channel.Abort();
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
        ConnectionLost();
    }
}
