using System.Buffers;

namespace ReactiveKv;

/// <summary>
/// The receiving side of a connection (Twisted's <c>IProtocol</c>). Every call arrives on the connection's loop thread.
/// </summary>
public interface IProtocol
{
    /// <summary>Attaches the transport; implementations then call <see cref="ConnectionMade"/>.</summary>
    void MakeConnection(ITransport transport);

    /// <summary>The connection is up and the transport can be written to.</summary>
    void ConnectionMade();

    /// <summary>
    /// Bytes have arrived. <paramref name="data"/> is everything buffered and not yet consumed, in arbitrary chunks
    /// (never assume framing). Return how far it was consumed; the rest is offered again, with more, next time.
    /// The memory is only valid during the call: copy what must outlive it.
    /// </summary>
    SequencePosition DataReceived(in ReadOnlySequence<byte> data);

    /// <summary>
    /// The connection is gone; called exactly once. <paramref name="reason"/> is a <see cref="ConnectionDoneException"/>
    /// for a clean close, and otherwise says what went wrong.
    /// </summary>
    void ConnectionLost(Exception reason);
}
