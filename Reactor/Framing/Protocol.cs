using System.Buffers;

namespace ReactiveKv;

/// <summary>A base for protocols: keeps the transport and gives every callback a do-nothing default.</summary>
public abstract class Protocol : IProtocol
{
    private ITransport? _transport;

    /// <summary>The transport, once connected.</summary>
    public ITransport Transport => _transport ?? throw new InvalidOperationException("The protocol is not connected yet.");

    /// <summary>True between <see cref="ConnectionMade"/> and <see cref="ConnectionLost"/>.</summary>
    public bool Connected { get; private set; }

    /// <inheritdoc />
    public void MakeConnection(ITransport transport)
    {
        _transport = transport;
        Connected = true;
        ConnectionMade();
    }

    /// <inheritdoc />
    public virtual void ConnectionMade()
    {
    }

    /// <inheritdoc />
    public abstract SequencePosition DataReceived(in ReadOnlySequence<byte> data);

    /// <inheritdoc />
    void IProtocol.ConnectionLost(Exception reason)
    {
        Connected = false;
        ConnectionLost(reason);
    }

    /// <summary>The connection is gone (see <see cref="IProtocol.ConnectionLost"/>).</summary>
    protected virtual void ConnectionLost(Exception reason)
    {
    }
}
