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
}
