using System.Buffers;

namespace ReactiveKv.Examples.Support;

/// <summary>Passes every call to the inner protocol, noting in the set when the connection opens and closes.</summary>
internal sealed class TrackedProtocol(IProtocol inner, ConnectionSet connections) : IProtocol
{
    private ITransport? _transport;

    public void MakeConnection(ITransport transport)
    {
        _transport = transport;
        connections.Opened(transport);
        inner.MakeConnection(transport);
    }

    public void ConnectionMade() => inner.ConnectionMade();

    public SequencePosition DataReceived(in ReadOnlySequence<byte> data) => inner.DataReceived(data);

    public void ConnectionLost(Exception reason)
    {
        try
        {
            inner.ConnectionLost(reason);
        }
        finally
        {
            if (_transport is not null)
            {
                connections.Closed(_transport);
            }
        }
    }
}
