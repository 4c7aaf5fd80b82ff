namespace ReactiveKv;

/// <summary>
/// The stable event ids of what clients log about their connections (category <c>ReactiveKv.Clients.&lt;Backend&gt;</c>),
/// one per <see cref="ClientConnectionEventKind"/> plus the service's own warnings. They never change meaning, so
/// alerts and log queries can rely on them.
/// </summary>
public static class ClientEventIds
{
    /// <summary>Information: the first connection to a server is ready.</summary>
    public const int Connected = 1000;

    /// <summary>Information: a connection is ready again after a loss or failed attempts.</summary>
    public const int Reconnected = 1001;

    /// <summary>Warning (Debug when the client is being disposed): a ready connection went away, with the reason.</summary>
    public const int Disconnected = 1002;

    /// <summary>Warning for the first failure in a row, Debug for the ones after: an attempt to connect failed, with the reason.</summary>
    public const int ConnectFailed = 1003;

    /// <summary>Debug: the next attempt is scheduled, with its number and delay.</summary>
    public const int ReconnectScheduled = 1004;

    /// <summary>Error: the reconnect policy ran out of retries.</summary>
    public const int GaveUp = 1005;

    /// <summary>Debug: the client was disposed.</summary>
    public const int Closed = 1006;

    /// <summary>Information: the master or primary moved (Redis Sentinel or Cluster, Keyspace).</summary>
    public const int PrimaryChanged = 1007;

    /// <summary>Information: subscriptions were made again on a new connection (Redis pub/sub).</summary>
    public const int Resubscribed = 1008;

    /// <summary>Information: the client recovered its state on a new connection (AMQP).</summary>
    public const int Recovered = 1009;

    /// <summary>Warning: the server sent bytes that break the protocol; the connection was closed.</summary>
    public const int ProtocolViolation = 1010;

    /// <summary>Error: a backend's ready hook failed (the connection is used anyway).</summary>
    public const int ReadyHookFailed = 1011;

    /// <summary>Warning: a cluster client could read the cluster's map (Redis Cluster slots) from none of its nodes.</summary>
    public const int TopologyRefreshFailed = 1012;
}
