using System.Globalization;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Where a <see cref="KeyspaceClient"/> connects and how long it waits. <see cref="Nodes"/> must be in the cluster's
/// <c>paxos.endpoints</c> order: the client believes node i is master only when node i says so (spec §10.1).
/// </summary>
public sealed record KeyspaceOptions : IClientOptions
{
    /// <summary>The client's connection monitor, set by the client on the options it keeps, so every connection it makes reports to it.</summary>
    internal ClientConnectionMonitor? Monitor { get; init; }

    /// <inheritdoc />
    ClientConnectionMonitor? IClientOptions.Monitor => Monitor;

    /// <inheritdoc cref="IClientOptions.Loop"/>
    /// <remarks>Not read from configuration: a loop is an object of the running reactor (<c>reactor.Loops[i]</c>).</remarks>
    public EventLoop? Loop { get; init; }

    /// <summary>The client ports of the nodes, in nodeID order (a node's id is its position).</summary>
    public IReadOnlyList<(string Host, int Port)> Nodes { get; init; } = [("127.0.0.1", 7080)];

    /// <summary>How long one connection attempt may take (the reference library: 2 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The global timeout: how long a call may take from start to reply (the reference library: 120 s).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a call that needs the master waits for one to be confirmed (the reference library: 21 s, three leases).</summary>
    public TimeSpan MasterTimeout { get; init; } = TimeSpan.FromSeconds(21);

    /// <summary>How often get-master is asked again of every node while a call waits for a master (the reference library: 1 s).</summary>
    public TimeSpan MasterProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How each node's connection is made again after a loss.</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    /// <summary>How many calls may wait per node for its connection or for room in its in-flight window.</summary>
    public int MaxBacklog { get; init; } = 100_000;

    /// <summary>How many calls may wait for replies at once per node connection.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>
    /// The node dirty reads go to while it is connected (a replica, to keep read load off the master); null spreads
    /// them over every connected node. When it is not connected they go to any node that is.
    /// </summary>
    public int? DirtyReadNode { get; init; }

    /// <summary>What happens to calls made while a node is unreachable (default: they wait, as the reference library's do).</summary>
    public DisconnectedBehavior DisconnectedBehavior { get; init; } = DisconnectedBehavior.Queue;

    /// <summary>
    /// Parses <c>keyspace://host:port[,host:port…][?dirty-read-node=N]</c>; every node names its port, in nodeID order.
    /// </summary>
    public static KeyspaceOptions Parse(string url)
    {
        var parsed = ServiceUrl.Parse(url, "Keyspace", 0, "keyspace");
        if (parsed.Hosts.Count == 0)
        {
            throw parsed.Error("must name at least one node (keyspace://host:7080[,host:7080…])");
        }

        int? dirtyReadNode = null;
        if (parsed.QueryValue("dirty-read-node") is { } text)
        {
            dirtyReadNode = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var node) && node < parsed.Hosts.Count
                ? node
                : throw parsed.Error($"has dirty-read-node={text}, which is not a node id from 0 to {parsed.Hosts.Count - 1}");
        }

        return new KeyspaceOptions { Nodes = parsed.Hosts, DirtyReadNode = dirtyReadNode };
    }

    /// <summary>The shared connection settings of each node's service (connecting on first use).</summary>
    public ClientConnectionOptions Connection() => ClientConnectionOptions.From(this, connectLazily: true);

    /// <summary>Replaces the network connect for node i (tests connect through string transports on virtual time).</summary>
    internal Func<int, IClientFactory, EventLoop, IConnector>? ConnectWith { get; init; }

    internal string Authority(int node) => string.Create(CultureInfo.InvariantCulture, $"{Nodes[node].Host}:{Nodes[node].Port} (node {node})");
}
