namespace ReactiveKv;

/// <summary>
/// One change of a client's connection, as a client's <c>ConnectionEvents</c> observable publishes it and as it is
/// logged (<see cref="ClientEventIds"/>).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Backend">The backend's name (Redis, Pegasus, KT, Keyspace, AMQP).</param>
/// <param name="Server">The server as messages name it (host:port); never a password.</param>
/// <param name="Time">When, on the reactor's clock.</param>
public sealed record ClientConnectionEvent(ClientConnectionEventKind Kind, string Backend, string Server, DateTimeOffset Time)
{
    /// <summary>Why a connection was lost or an attempt failed; null otherwise.</summary>
    public Exception? Reason { get; init; }

    /// <summary>For <see cref="ClientConnectionEventKind.ReconnectScheduled"/>: the attempt's number since the last good connection.</summary>
    public int Attempt { get; init; }

    /// <summary>For <see cref="ClientConnectionEventKind.ReconnectScheduled"/>: how long until the attempt.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Backend-specific words: the new primary, how many subscriptions were made again, what was recovered.</summary>
    public string? Detail { get; init; }
}
