namespace ReactiveKv;

/// <summary>
/// The connection settings every backend's options carry, under the same names everywhere; the client maps them onto
/// its <see cref="ClientConnectionService{TProtocol, TRequest}"/> with <see cref="ClientConnectionOptions.From"/>.
/// </summary>
public interface IClientOptions
{
    /// <summary>How long one connection attempt may take.</summary>
    TimeSpan ConnectTimeout { get; }

    /// <summary>The default deadline of an operation.</summary>
    TimeSpan OperationTimeout { get; }

    /// <summary>How the client reconnects.</summary>
    ReconnectPolicy Reconnect { get; }

    /// <summary>How many requests may wait for a connection or for room in the in-flight window.</summary>
    int MaxBacklog { get; }

    /// <summary>How many written requests may wait for replies at once.</summary>
    int MaxInFlight { get; }

    /// <summary>What happens to requests made while no connection is usable.</summary>
    DisconnectedBehavior DisconnectedBehavior { get; }

    /// <summary>
    /// The monitor the client's connections report to; a client sets it on the options it keeps, so every connection
    /// it makes (pub/sub, cluster nodes, replicas) reports to the same one.
    /// </summary>
    ClientConnectionMonitor? Monitor => null;

    /// <summary>
    /// The reactor loop the client's connections run on, so code already on that loop (a DotNetty handler, a protocol)
    /// calls the client with no thread hop; null spreads clients over the reactor's loops.
    /// </summary>
    EventLoop? Loop => null;
}
