using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// Everything a connection does that does not depend on how its bytes move, as Twisted's <c>FileDescriptor</c> owns
/// buffering for every transport: the output buffer and its accounting, the end-of-turn flush, the producer
/// watermarks, the write and read limits, closing cleanly or by reset, and reporting the loss once, on a later turn.
/// A subclass only reads (handing bytes to <see cref="TryDeliver"/>) and sends what <see cref="Unsent"/> holds
/// (reporting progress to <see cref="Sent"/>), or what its own <see cref="TransportOutput"/> holds when it brings one.
/// </summary>
/// <remarks>
/// Writes are counted on the loop thread and sends by whichever single thread sends, in two counters, so neither side
/// needs an interlocked operation: a write costs a buffer copy and a few field updates.
/// </remarks>
internal abstract class TransportBase : IConnectionTransport, IBufferWriter<byte>
{
    private static readonly Action<object?> s_resumeProducer = static s => ((TransportBase)s!).ResumeProducer();
    private static readonly Action<object?> s_connectionLost = static s => ((TransportBase)s!).DeliverConnectionLost();

    private readonly TransportOutput _output;
    private readonly bool _outputSharesReceivedBytes;
    private readonly Action _flush;
    private readonly ConnectionTracker? _tracker;
    private IProtocol? _protocol;
    private Action<Exception>? _onLost;
    private IPushProducer? _producer;
    private Exception? _closeReason;
    private long _written;
    private long _sent;
    private long _unreported;
    private volatile bool _producerPaused;
    private bool _flushScheduled;
    private bool _writesClosed;
    private bool _lost;
    private bool _readClosed;
    private bool _outputShut;

    protected TransportBase(EventLoop loop, IConnectionChannel channel, TransportOptions options, ILogger logger, ConnectionTracker? tracker, TransportOutput? output = null)
    {
        Loop = loop;
        Channel = channel;
        Options = options;
        Logger = logger;
        _tracker = tracker;
        _output = output ?? new PipeOutput();
        _outputSharesReceivedBytes = _output.SharesReceivedBytes;
        _flush = Flush;
        Peer = channel.RemoteEndPoint;
        Host = channel.LocalEndPoint;
    }

    public EventLoop Loop { get; }

    /// <summary>False for a transport that carries another one's bytes: the connection is counted once, by the outer.</summary>
    public bool CountsAsConnection { get; init; } = true;

    public EndPoint Peer { get; }

    public EndPoint Host { get; }

    public bool Disconnecting { get; private set; }

    public IBufferWriter<byte> Output => this;

    public long PendingWriteBytes => Volatile.Read(ref _written) - Volatile.Read(ref _sent);

    /// <summary>Bytes written since the connection started; the idle timer of a limited server counts output as activity.</summary>
    internal long BytesWritten => Volatile.Read(ref _written);

    public bool NoDelay
    {
        get => Channel.NoDelay;
        set => Channel.NoDelay = value;
    }

    public bool KeepAlive
    {
        get => Channel.KeepAlive;
        set => Channel.KeepAlive = value;
    }

    /// <summary>What the bytes move through: a socket, or TLS over another transport.</summary>
    internal IConnectionChannel Channel { get; }

    protected TransportOptions Options { get; }

    protected ILogger Logger { get; }

    /// <summary>What was written and flushed and is waiting to be sent; its writer is completed once no more will come.</summary>
    protected PipeReader Unsent => _output is PipeOutput pipe ? pipe.Reader : throw new InvalidOperationException("This transport sends from an output of its own.");

    /// <summary>The protocol asked for no more bytes until it resumes.</summary>
    protected bool ReadPaused { get; private set; }

    /// <summary>The connection is closing: nothing more is read or delivered.</summary>
    protected bool ReadingStopped { get; private set; }

    /// <summary>No more writes are taken: the connection is closing once what is buffered is sent, or is closed.</summary>
    protected bool WritesClosed => _writesClosed;

    /// <summary>
    /// <see cref="LoseWriteConnection"/> closed writes, and the connection is not closing: once what is buffered is
    /// sent, shut down the write half and report it to <see cref="OutputShutDown"/>, rather than close.
    /// </summary>
    protected bool ShuttingDownOutput => _writesClosed && !Disconnecting;

    /// <summary>The peer finished sending and a half-closeable protocol heard it: nothing more is read, writes go on.</summary>
    protected bool ReadClosed => _readClosed;

    /// <summary>Attaches the protocol and starts moving bytes. Loop thread only.</summary>
    public void Start(IProtocol protocol, Action<Exception>? onLost = null)
    {
        _protocol = protocol;
        _onLost = onLost;
        _tracker?.Add(this);
        if (CountsAsConnection)
        {
            ReactorDiagnostics.Connections.Add(1);
        }

        StartIo();
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "ConnectionMade failed for {Peer}", Peer);
            Fail(e);
        }

        OnConnectionMade();
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (!Loop.IsLoopThread)
        {
            WriteFromOtherThread(data.ToArray());
            return;
        }

        if (_writesClosed || data.IsEmpty)
        {
            return;
        }

        _output.Write(data);
        Written(data.Length);
    }

    public void WriteSequence(in ReadOnlySequence<byte> data)
    {
        // Received bytes (a DotNetty connection's buffers), echoed or forwarded as they are, may go out without a copy.
        if (_outputSharesReceivedBytes && data.Length is > 0 and <= int.MaxValue && !_writesClosed && Loop.IsLoopThread && _output.TryWriteShared(data))
        {
            Written((int)data.Length);
            return;
        }

        foreach (var segment in data)
        {
            Write(segment.Span);
        }
    }

    void IBufferWriter<byte>.Advance(int count)
    {
        if (_writesClosed)
        {
            return;
        }

        _output.Advance(count);
        Written(count);
    }

    // After close, encoders still get a buffer so they need no special case; what they write is dropped, as Write drops it.
    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) =>
        _writesClosed ? new byte[Math.Max(sizeHint, 256)] : _output.GetMemory(sizeHint);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) =>
        _writesClosed ? new byte[Math.Max(sizeHint, 256)] : _output.GetSpan(sizeHint);

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

        SetReason(new ConnectionDoneException("The connection was closed cleanly."));
        Flush();
        BeginClosing();
        ReadingChanged();
        CloseWhenSent();
    }

    public void LoseWriteConnection()
    {
        if (!Loop.IsLoopThread)
        {
            Loop.CallFromThread(LoseWriteConnection);
            return;
        }

        if (Disconnecting || _writesClosed)
        {
            return;
        }

        Flush();
        CloseWrites();
        ShutDownOutputWhenSent();
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
        if (PendingWriteBytes > Options.WriteHighWatermark)
        {
            _producerPaused = true;
            producer.PauseProducing();
        }
    }

    public void UnregisterProducer() => _producer = null;

    public void PauseProducing()
    {
        if (!ReadPaused)
        {
            ReadPaused = true;
            ReadingChanged();
        }
    }

    public void ResumeProducing()
    {
        if (ReadPaused)
        {
            ReadPaused = false;
            ReadingChanged();
        }
    }

    public void StopProducing() => LoseConnection();

    /// <summary>Starts reading and sending, before the protocol hears of the connection. Loop thread.</summary>
    protected abstract void StartIo();

    /// <summary>Called once the protocol's <c>ConnectionMade</c> has run (or failed). Loop thread.</summary>
    protected virtual void OnConnectionMade()
    {
    }

    /// <summary>The end-of-turn flush made this turn's writes visible to <see cref="Unsent"/>: send them. Loop thread.</summary>
    protected abstract void SendFlushed();

    /// <summary><see cref="ReadPaused"/> or <see cref="ReadingStopped"/> changed. Loop thread.</summary>
    protected abstract void ReadingChanged();

    /// <summary><see cref="LoseConnection"/> closed writes: close once <see cref="Unsent"/> is empty. Loop thread.</summary>
    protected abstract void CloseWhenSent();

    /// <summary>
    /// <see cref="LoseWriteConnection"/> closed writes: once <see cref="Unsent"/> is empty, shut down the write half
    /// (while the connection is still <see cref="ShuttingDownOutput"/>) and call <see cref="OutputShutDown"/>. Loop thread.
    /// </summary>
    protected abstract void ShutDownOutputWhenSent();

    /// <summary>Resets the connection now, dropping what is unsent. Loop thread.</summary>
    protected abstract void Reset();

    /// <summary>The connection is gone and the protocol is about to hear it: release what the subclass holds. Loop thread.</summary>
    protected virtual void ReleaseResources()
    {
    }

    /// <summary>Hands received bytes to the protocol; false (and the connection failed) when the protocol threw.</summary>
    protected bool TryDeliver(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        try
        {
            consumed = _protocol!.DataReceived(buffer);
            return true;
        }
        catch (Exception e)
        {
            Logger.LogError(e, "DataReceived failed for {Peer}; closing the connection", Peer);
            Fail(e);
            consumed = buffer.End;
            return false;
        }
    }

    /// <summary>
    /// The peer finished sending (a clean end of stream), and everything received before it was offered to the
    /// protocol. True when the transport is to stay up: the protocol is an <see cref="IHalfCloseableProtocol"/> and has
    /// heard <see cref="IHalfCloseableProtocol.ReadConnectionLost"/> (the connection then closes once the write half is
    /// shut down too, or on the protocol's own close); or the connection is being failed or closed from here. False
    /// when the transport closes as for any peer close: the protocol cannot live with half a connection. Loop thread.
    /// </summary>
    protected bool KeepOpenAfterPeerFinished()
    {
        if (Disconnecting || _readClosed || HalfCloseable(_protocol) is not { } protocol)
        {
            return false;
        }

        _readClosed = true;
        ReadingChanged();
        try
        {
            protocol.ReadConnectionLost();
        }
        catch (Exception e)
        {
            Logger.LogError(e, "ReadConnectionLost failed for {Peer}", Peer);
            Fail(e);
            return true;
        }

        if (_outputShut)
        {
            // Both halves are closed now.
            LoseConnection();
        }

        return true;
    }

    /// <summary>
    /// The transport shut down the write half after <see cref="ShutDownOutputWhenSent"/>: a half-closeable protocol
    /// hears it, and the connection closes if the peer had already finished sending (or a close came meanwhile). Loop thread.
    /// </summary>
    protected void OutputShutDown()
    {
        if (_outputShut || _lost)
        {
            return;
        }

        _outputShut = true;
        if (!Disconnecting && HalfCloseable(_protocol) is { } protocol)
        {
            try
            {
                protocol.WriteConnectionLost();
            }
            catch (Exception e)
            {
                Logger.LogError(e, "WriteConnectionLost failed for {Peer}", Peer);
                Fail(e);
                return;
            }
        }

        if (_readClosed && !Disconnecting)
        {
            LoseConnection();
        }
    }

    /// <summary>Fails the connection with <see cref="FrameTooLargeException"/> when the protocol left too much unconsumed.</summary>
    protected bool WithinReadLimit(long unconsumed)
    {
        if (unconsumed < Options.MaxBufferedReadBytes)
        {
            return true;
        }

        Fail(new FrameTooLargeException(
            $"{unconsumed} bytes from {Peer} were buffered without completing a frame (limit {Options.MaxBufferedReadBytes})."));
        return false;
    }

    /// <summary>
    /// Records that <paramref name="count"/> bytes left <see cref="Unsent"/> for the kernel, resuming a paused producer
    /// below the low watermark. Called by one thread at a time, the loop's or a send pump's.
    /// </summary>
    protected void Sent(long count)
    {
        var sent = _sent + count;
        Volatile.Write(ref _sent, sent);
        ReactorDiagnostics.AddPendingWriteBytes(-count);
        ReactorDiagnostics.BytesSent.Add(count);
        if (_producerPaused && Volatile.Read(ref _written) - sent <= Options.WriteLowWatermark)
        {
            if (Loop.IsLoopThread)
            {
                ResumeProducer();
            }
            else
            {
                Loop.Post(s_resumeProducer, this);
            }
        }
    }

    /// <summary>Resets the connection with <paramref name="reason"/> (unless it already has one). Loop thread.</summary>
    protected void Fail(Exception reason)
    {
        SetReason(reason);
        StopReadingAndWriting();

        // Reset before closing writes: closing wakes a send pump inline, which must find nothing left to send to.
        Reset();
        CloseWrites();
        ReadingChanged();
    }

    /// <summary>Records why the connection ends; the first reason wins. Any thread.</summary>
    protected void SetReason(Exception reason) => Interlocked.CompareExchange(ref _closeReason, reason, null);

    /// <summary>Marks the connection as going away: nothing more is read, and nothing more is written.</summary>
    protected void BeginClosing()
    {
        StopReadingAndWriting();
        CloseWrites();
    }

    /// <summary>The channel is closed: the protocol hears it on a later turn, once, with the close reason. Any thread.</summary>
    protected void ConnectionLost() => Loop.Post(s_connectionLost, this);

    /// <summary>Turns a send or receive error into the reactor's exception for it.</summary>
    protected Exception Translate(Exception error, string doing) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } s =>
            new ConnectionLostException($"The connection to {Peer} was reset while {doing}.", true, s),
        ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted } =>
            new ConnectionDoneException("The connection was closed."),
        IOException { InnerException: SocketException or ObjectDisposedException or ReactorException } io => Translate(io.InnerException!, doing),

        // Already the reactor's word for it, from the transport a TLS layer runs over.
        ConnectionLostException or ConnectionDoneException => error,
        _ => new ConnectionLostException($"The connection to {Peer} failed while {doing}: {error.Message}", true, error),
    };

    // The protocol itself, or the one a reactor's wrapper forwards to.
    private static IHalfCloseableProtocol? HalfCloseable(IProtocol? protocol)
    {
        while (true)
        {
            switch (protocol)
            {
                case IHalfCloseableProtocol halfCloseable:
                    return halfCloseable;
                case IProtocolWrapper wrapper:
                    protocol = wrapper.Wrapped;
                    break;
                default:
                    return null;
            }
        }
    }

    // Its own method so the closure is allocated only on this path, not on every loop-thread write.
    private void WriteFromOtherThread(byte[] copy) => Loop.CallFromThread(() => Write(copy));

    // Called for every piece an encoder commits, so it stays cheap: the process-wide gauge is updated once per flush.
    private void Written(int count)
    {
        var written = _written += count;
        var pending = written - Volatile.Read(ref _sent);
        _unreported += count;
        if (pending > Options.MaxPendingWriteBytes)
        {
            Fail(new WriteBufferOverflowException(
                $"{pending} bytes are waiting to be sent to {Peer}, over the limit of {Options.MaxPendingWriteBytes}; the writer ignored PauseProducing."));
            return;
        }

        if (pending > Options.WriteHighWatermark && _producer is { } producer && !_producerPaused)
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
        if (_writesClosed)
        {
            return;
        }

        ReactorDiagnostics.AddPendingWriteBytes(_unreported);
        _unreported = 0;

        _output.Commit();
        SendFlushed();
    }

    private void StopReadingAndWriting()
    {
        Disconnecting = true;
        ReadingStopped = true;
    }

    private void CloseWrites()
    {
        if (!_writesClosed)
        {
            _writesClosed = true;
            _output.Complete();
        }
    }

    private void ResumeProducer()
    {
        if (_producerPaused && PendingWriteBytes <= Options.WriteLowWatermark && !_lost)
        {
            _producerPaused = false;
            _producer?.ResumeProducing();
        }
    }

    private void DeliverConnectionLost()
    {
        if (_lost)
        {
            return;
        }

        _lost = true;
        BeginClosing();
        ReleaseResources();
        Channel.Dispose();

        // The gauge holds what was flushed and not sent; what was never flushed was never added to it.
        ReactorDiagnostics.AddPendingWriteBytes(_unreported - PendingWriteBytes);
        _unreported = 0;
        if (CountsAsConnection)
        {
            ReactorDiagnostics.Connections.Add(-1);
        }

        _tracker?.Remove(this);
        var reason = _closeReason ?? new ConnectionDoneException("The connection was closed.");
        try
        {
            _protocol!.ConnectionLost(reason);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "ConnectionLost failed for {Peer}", Peer);
        }

        _onLost?.Invoke(reason);
    }
}
