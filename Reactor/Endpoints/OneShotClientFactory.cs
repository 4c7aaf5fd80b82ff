using System.Buffers;
using System.Net;

namespace ReactiveKv;

/// <summary>Adapts a plain factory to one connection attempt whose outcome fires a Deferred.</summary>
internal sealed class OneShotClientFactory(IProtocolFactory inner, Deferred<IProtocol> result) : IClientFactory
{
    public IProtocol? BuildProtocol(EndPoint address) =>
        inner.BuildProtocol(address) is { } protocol ? new Notifying(protocol, result) : null;

    public void DoStart() => inner.DoStart();

    public void DoStop() => inner.DoStop();

    public void StartedConnecting(IConnector connector)
    {
    }

    public void ClientConnectionFailed(IConnector connector, Exception reason) => result.TryErrback(reason);

    public void ClientConnectionLost(IConnector connector, Exception reason) =>
        result.TryErrback(new ConnectionLostException("The connection was lost before it was made.", false, reason));

    /// <summary>Fires the Deferred once the wrapped protocol has seen ConnectionMade.</summary>
    private sealed class Notifying(IProtocol inner, Deferred<IProtocol> result) : IProtocol, IProtocolWrapper
    {
        public IProtocol Wrapped => inner;

        public void MakeConnection(ITransport transport)
        {
            inner.MakeConnection(transport);
            result.TryCallback(inner);
        }

        public void ConnectionMade() => inner.ConnectionMade();

        public SequencePosition DataReceived(in ReadOnlySequence<byte> data) => inner.DataReceived(data);

        public void ConnectionLost(Exception reason) => inner.ConnectionLost(reason);
    }
}
