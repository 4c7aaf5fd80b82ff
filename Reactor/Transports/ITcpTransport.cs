namespace ReactiveKv;

/// <summary>A stream transport: TCP, TLS over TCP, or a Unix socket. Inbound data can be paused (the transport is a producer).</summary>
public interface ITcpTransport : ITransport, IConsumer, IPushProducer
{
    /// <summary>Disables Nagle's algorithm (on by default). Ignored on Unix sockets.</summary>
    bool NoDelay { get; set; }

    /// <summary>TCP keep-alive probes. Ignored on Unix sockets.</summary>
    bool KeepAlive { get; set; }

    /// <summary>Bytes written and not yet handed to the kernel.</summary>
    long PendingWriteBytes { get; }

    /// <summary>
    /// Shuts down the write half once everything written so far has been sent (Twisted's <c>loseWriteConnection</c>):
    /// the peer reads it all and then its end of stream (a FIN; under TLS a close_notify first), while this side goes on
    /// reading. Later writes are dropped. An <see cref="IHalfCloseableProtocol"/> hears
    /// <see cref="IHalfCloseableProtocol.WriteConnectionLost"/> when it is done. Does nothing once the connection is closing.
    /// </summary>
    void LoseWriteConnection();
}
