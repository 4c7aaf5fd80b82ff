namespace ReactiveKv.Amqp;

/// <summary>What happened during a connection's recovery.</summary>
public enum AmqpRecoveryEventKind
{
    /// <summary>The connection was lost; the client reconnects with backoff.</summary>
    ConnectionLost,

    /// <summary>A new connection completed its handshake; topology and consumers are being recovered.</summary>
    Reconnected,

    /// <summary>A server-named queue was declared again and got a new name.</summary>
    QueueRenamed,

    /// <summary>A consumer consumes again under its tag.</summary>
    ConsumerRecovered,

    /// <summary>An exchange, queue, binding or consumer could not be recovered.</summary>
    Failed,

    /// <summary>Recovery is done; waiting operations go out now.</summary>
    Completed,
}
