namespace ReactiveKv;

/// <summary>What happened to a client's connection (see <see cref="ClientConnectionEvent"/>).</summary>
public enum ClientConnectionEventKind
{
    /// <summary>The first connection to a server is ready for requests.</summary>
    Connected,

    /// <summary>A connection is ready again after a loss or after failed attempts.</summary>
    Reconnected,

    /// <summary>A ready connection went away; <see cref="ClientConnectionEvent.Reason"/> says why.</summary>
    Disconnected,

    /// <summary>An attempt to connect (or its handshake) failed; <see cref="ClientConnectionEvent.Reason"/> says why.</summary>
    ConnectFailed,

    /// <summary>The next attempt is scheduled: <see cref="ClientConnectionEvent.Attempt"/> after <see cref="ClientConnectionEvent.Delay"/>.</summary>
    ReconnectScheduled,

    /// <summary>The reconnect policy ran out of retries; the client stops trying until it is used again (lazy clients) or for good.</summary>
    GaveUp,

    /// <summary>The connection service was disposed.</summary>
    Closed,

    /// <summary>The master or primary moved (Redis Sentinel or Cluster, Keyspace); <see cref="ClientConnectionEvent.Detail"/> names the new one.</summary>
    PrimaryChanged,

    /// <summary>Subscriptions were made again on a new connection (Redis pub/sub); <see cref="ClientConnectionEvent.Detail"/> says how many.</summary>
    Resubscribed,

    /// <summary>The client recovered its state on a new connection (AMQP channels, consumers and topology).</summary>
    Recovered,
}
