namespace ReactiveKv;

/// <summary>
/// A protocol that can live with half a connection (Twisted's <c>IHalfCloseableProtocol</c>). Without it, the peer's
/// end of stream (a TCP FIN, a TLS close_notify) closes the connection; with it, the peer's end of stream is
/// <see cref="ReadConnectionLost"/> and the connection stays up for writing. Either way
/// <see cref="IProtocol.ConnectionLost"/> comes exactly once: here, when both halves are closed, or on
/// <see cref="ITransport.LoseConnection"/>, an abort or an error. Every call arrives on the connection's loop thread.
/// </summary>
public interface IHalfCloseableProtocol
{
    /// <summary>The peer finished sending: nothing more will be received, and this side may still write.</summary>
    void ReadConnectionLost();

    /// <summary>
    /// This side's write half is shut down (after <see cref="ITcpTransport.LoseWriteConnection"/> sent everything
    /// queued): nothing more can be written, and bytes may still be received.
    /// </summary>
    void WriteConnectionLost();
}
