using System.Buffers;
using System.IO.Pipelines;

namespace ReactiveKv;

/// <summary>
/// A duplex <see cref="Stream"/> over a connection transport, so that <see cref="System.Net.Security.SslStream"/> can run
/// over any of them, in the manner of Twisted's <c>_newtls</c> where TLS is a protocol wrapper. To the transport
/// below it is the protocol: received ciphertext is buffered for <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>,
/// and it is the transport's producer, so writes wait while the transport's send buffer is over its high watermark.
/// Reads and writes may come from any thread; the transport is only touched on its loop.
/// </summary>
internal sealed class TransportStream : Stream, IProtocol, IHalfCloseableProtocol, IPushProducer
{
    // Ciphertext buffered for a reader that stopped reading (its own consumer paused it) pauses the transport below.
    private const long PauseReadingAbove = 256 << 10;
    private const long ResumeReadingBelow = 64 << 10;

    private static readonly Action<object?> s_write = static s =>
    {
        var (stream, data) = ((TransportStream, byte[]))s!;
        stream.Transport.Write(data);
    };

    private static readonly Action<object?> s_loseConnection = static s => ((TransportStream)s!).Transport.LoseConnection();
    private static readonly Action<object?> s_loseWriteConnection = static s => ((TransportStream)s!).Transport.LoseWriteConnection();
    private static readonly Action<object?> s_resumeReading = static s => ((TransportStream)s!).ResumeReadingIfDrained();

    // The TLS record layer reads on the thread pool, as it did over a socket stream: the handshake, certificate
    // validation (user callbacks, chain building) and decryption must not run on, or stall, the loop.
    private readonly Pipe _received = new(new PipeOptions(
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        useSynchronizationContext: false));

    private ITcpTransport? _transport;
    private TaskCompletionSource? _writable;
    private Exception? _lostReason;
    private long _unread;
    private volatile bool _readingPaused;
    private volatile bool _lost;
    private int _disposed;
    private bool _receivedEnded;

    /// <summary>The transport below, once it has called <see cref="IProtocol.MakeConnection"/>.</summary>
    public ITcpTransport Transport => _transport ?? throw new InvalidOperationException("The stream has no transport yet.");

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Resets the connection below, dropping what it has not sent.</summary>
    public void Abort() => _transport?.AbortConnection();

    /// <summary>Shuts down the write half of the connection below once what was written before is sent; reading goes on.</summary>
    public void LoseWriteConnection()
    {
        if (_transport is { } transport)
        {
            transport.Loop.Post(s_loseWriteConnection, this);
        }
    }

    void IProtocol.MakeConnection(ITransport transport)
    {
        _transport = (ITcpTransport)transport;
        ((IConsumer)transport).RegisterProducer(this);
    }

    void IProtocol.ConnectionMade()
    {
    }

    SequencePosition IProtocol.DataReceived(in ReadOnlySequence<byte> data)
    {
        var writer = _received.Writer;
        foreach (var segment in data)
        {
            writer.Write(segment.Span);
        }

        var unread = Interlocked.Add(ref _unread, data.Length);

        // Wakes the TLS reader on the thread pool.
        _ = writer.FlushAsync();
        if (unread > PauseReadingAbove && !_readingPaused)
        {
            _readingPaused = true;
            Transport.PauseProducing();

            // The TLS reader, woken by the flush above, may have drained below the resume mark on its thread before it
            // could see the flag: then it posted no resume, and with the transport paused no more data would come to
            // wake it. A full fence between setting the flag and reading the count (the reader's Interlocked.Add is
            // the other one) means that either the reader saw the flag and posts the resume, or this sees its count.
            Interlocked.MemoryBarrier();
            ResumeReadingIfDrained();
        }

        return data.End;
    }

    void IProtocol.ConnectionLost(Exception reason)
    {
        _lostReason = reason;
        _lost = true;

        // A clean close is the end of the stream; anything else is the error the reader sees.
        EndReceived(reason is ConnectionDoneException ? null : reason);
        ReleaseWriters();
    }

    // The peer's FIN is the end of what the reader gets; the connection below stays up for what is still to be written
    // (TLS's close_notify in reply, or the layer above's own half-close).
    void IHalfCloseableProtocol.ReadConnectionLost() => EndReceived(null);

    void IHalfCloseableProtocol.WriteConnectionLost()
    {
    }

    void IPushProducer.PauseProducing() => Interlocked.CompareExchange(ref _writable, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    void IPushProducer.ResumeProducing() => ReleaseWriters();

    void IPushProducer.StopProducing() => ReleaseWriters();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var reader = _received.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var available = result.Buffer;
            if (!available.IsEmpty)
            {
                var count = (int)Math.Min(available.Length, buffer.Length);
                available.Slice(0, count).CopyTo(buffer.Span);
                reader.AdvanceTo(available.GetPosition(count));
                Consumed(count);
                return count;
            }

            reader.AdvanceTo(available.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _writable) is { } writable)
        {
            await writable.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_lost)
        {
            throw new IOException("The connection under TLS is closed.", _lostReason);
        }

        // Always through the loop's queue, even from the loop thread: the bytes stay in order with every other write
        // and with the close that Dispose posts after them. The copy is needed anyway, as SslStream reuses its buffer.
        Transport.Loop.Post(s_write, (this, buffer.ToArray()));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // Blocking reads and writes could block the loop; SslStream is only ever driven asynchronously here.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Closes the connection below once what was written before is sent.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _transport is { } transport)
        {
            transport.Loop.Post(s_loseConnection, this);
        }

        base.Dispose(disposing);
    }

    private void Consumed(int count)
    {
        if (Interlocked.Add(ref _unread, -count) < ResumeReadingBelow && _readingPaused)
        {
            Transport.Loop.Post(s_resumeReading, this);
        }
    }

    private void ResumeReadingIfDrained()
    {
        if (_readingPaused && Interlocked.Read(ref _unread) < ResumeReadingBelow)
        {
            _readingPaused = false;
            Transport.ResumeProducing();
        }
    }

    private void EndReceived(Exception? error)
    {
        if (!_receivedEnded)
        {
            _receivedEnded = true;
            _received.Writer.Complete(error);
        }
    }

    private void ReleaseWriters() => Interlocked.Exchange(ref _writable, null)?.TrySetResult();
}
