using System.Buffers;
using System.Net;

namespace ReactiveKv.Testing;

/// <summary>
/// A transport that records what is written instead of sending it (Twisted's <c>StringTransport</c>), for testing a
/// protocol without sockets: feed it bytes with <see cref="Receive"/>, read its output with <see cref="Value"/>.
/// </summary>
public sealed class StringTransport : ITcpTransport
{
    private readonly ArrayBufferWriter<byte> _written = new();
    private readonly List<byte> _unconsumed = [];
    private IProtocol? _protocol;

    /// <summary>Creates the transport; <paramref name="loop"/> is reported as its loop (no thread is started).</summary>
    public StringTransport(EventLoop? loop = null, EndPoint? peer = null, EndPoint? host = null)
    {
        Loop = loop ?? new EventLoop("string-transport");
        Peer = peer ?? new IPEndPoint(IPAddress.Loopback, 54321);
        Host = host ?? new IPEndPoint(IPAddress.Loopback, 12345);
    }

    /// <inheritdoc />
    public EventLoop Loop { get; }

    /// <inheritdoc />
    public EndPoint Peer { get; }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public bool Disconnecting { get; private set; }

    /// <summary>True after <see cref="LoseWriteConnection"/>: later writes are dropped.</summary>
    public bool WriteDisconnected { get; private set; }

    /// <summary>True after <see cref="AbortConnection"/>.</summary>
    public bool Aborted { get; private set; }

    /// <summary>The producer registered, if any.</summary>
    public IPushProducer? Producer { get; private set; }

    /// <summary>"producing", "paused" or "stopped": what the protocol asked of the inbound side.</summary>
    public string ProducerState { get; private set; } = "producing";

    /// <inheritdoc />
    public bool NoDelay { get; set; } = true;

    /// <inheritdoc />
    public bool KeepAlive { get; set; }

    /// <inheritdoc />
    public long PendingWriteBytes => _written.WrittenCount;

    /// <inheritdoc />
    public IBufferWriter<byte> Output => _written;

    /// <summary>Connects <paramref name="protocol"/> to this transport (calls <c>MakeConnection</c>).</summary>
    public void Attach(IProtocol protocol)
    {
        _protocol = protocol;
        protocol.MakeConnection(this);
    }

    /// <summary>Delivers <paramref name="data"/> to the protocol as if read from the network; unconsumed bytes are kept for next time.</summary>
    public void Receive(ReadOnlySpan<byte> data)
    {
        _unconsumed.AddRange(data.ToArray());
        var buffer = new ReadOnlySequence<byte>(_unconsumed.ToArray());
        var consumed = _protocol!.DataReceived(buffer);
        _unconsumed.RemoveRange(0, (int)buffer.Slice(0, consumed).Length);
    }

    /// <summary>Tells the protocol the connection is gone.</summary>
    public void Lose(Exception? reason = null) => _protocol!.ConnectionLost(reason ?? new ConnectionDoneException("Closed by the test."));

    /// <summary>Everything written so far.</summary>
    public byte[] Value() => _written.WrittenSpan.ToArray();

    /// <summary>Forgets what was written.</summary>
    public void Clear() => _written.Clear();

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!WriteDisconnected)
        {
            _written.Write(data);
        }
    }

    /// <inheritdoc />
    public void WriteSequence(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            Write(segment.Span);
        }
    }

    /// <summary>
    /// Closes the write half: nothing is pending here, so a half-closeable protocol hears
    /// <see cref="IHalfCloseableProtocol.WriteConnectionLost"/> at once; later writes are dropped.
    /// </summary>
    public void LoseWriteConnection()
    {
        if (WriteDisconnected || Disconnecting)
        {
            return;
        }

        WriteDisconnected = true;
        (_protocol as IHalfCloseableProtocol)?.WriteConnectionLost();
    }

    /// <summary>
    /// The peer finished sending, as a FIN would say: a half-closeable protocol hears
    /// <see cref="IHalfCloseableProtocol.ReadConnectionLost"/>; any other loses the connection cleanly.
    /// </summary>
    public void LoseRead()
    {
        if (_protocol is IHalfCloseableProtocol halfCloseable)
        {
            halfCloseable.ReadConnectionLost();
        }
        else
        {
            Lose();
        }
    }

    /// <inheritdoc />
    public void LoseConnection() => Disconnecting = true;

    /// <inheritdoc />
    public void AbortConnection()
    {
        Disconnecting = true;
        Aborted = true;
    }

    /// <inheritdoc />
    public void RegisterProducer(IPushProducer producer)
    {
        if (Producer is not null)
        {
            throw new InvalidOperationException("A producer is already registered.");
        }

        Producer = producer;
    }

    /// <inheritdoc />
    public void UnregisterProducer() => Producer = null;

    /// <inheritdoc />
    public void PauseProducing() => ProducerState = "paused";

    /// <inheritdoc />
    public void ResumeProducing() => ProducerState = "producing";

    /// <inheritdoc />
    public void StopProducing() => ProducerState = "stopped";
}
