using System.Net;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.Keyspace;

/// <summary>
/// An in-process Keyspace cluster on the reactor, faithful to the 1.9.0 client protocol: N nodes on 127.0.0.1, each
/// with a client port and an HTTP port (§11); one node is single mode, more are replicated with a master lease,
/// writes applied in rounds on submit and copied to every node, dirty reads from each node's own copy, non-masters
/// answering as §8.3. For tests it kills, restarts and isolates nodes and drops connections; leases, elections and
/// expiry run on the options' clock (the reactor's by default), so a <see cref="Testing.TestScheduler"/> drives them.
/// </summary>
public sealed class KeyspaceServer : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly ClusterModel _cluster;
    private readonly IListeningPort?[] _clientPorts;
    private readonly IListeningPort?[] _httpPorts;
    private readonly IPEndPoint[] _clientEndpoints;
    private readonly IPEndPoint?[] _httpEndpoints;

    private KeyspaceServer(Reactor reactor, KeyspaceServerOptions options)
    {
        _reactor = reactor;
        Options = options;
        _cluster = new ClusterModel(options, options.Clock ?? reactor.Clock);
        _cluster.Crashed = node => _ = StopListeningAsync(node);
        _clientPorts = new IListeningPort?[options.Nodes];
        _httpPorts = new IListeningPort?[options.Nodes];
        _clientEndpoints = new IPEndPoint[options.Nodes];
        _httpEndpoints = new IPEndPoint?[options.Nodes];
    }

    /// <summary>The options it runs with.</summary>
    public KeyspaceServerOptions Options { get; }

    /// <summary>Node 0's client port.</summary>
    public IPEndPoint Address => _clientEndpoints[0];

    /// <summary>Every node's client endpoint, in node-id order (the order a client must list them, §10.1).</summary>
    public IReadOnlyList<IPEndPoint> ClientEndpoints => _clientEndpoints;

    /// <summary>Every node's HTTP endpoint, in node-id order (null entries when HTTP is off).</summary>
    public IReadOnlyList<IPEndPoint?> HttpEndpoints => _httpEndpoints;

    /// <summary>The nodes as a client takes them: <c>127.0.0.1:p0,127.0.0.1:p1,…</c>.</summary>
    public string NodeList => string.Join(',', _clientEndpoints.Select(e => $"{e.Address}:{e.Port}"));

    /// <summary>The cluster's URL for the client: <c>keyspace://127.0.0.1:p0,…</c>.</summary>
    public string Url => "keyspace://" + NodeList;

    /// <summary>The node holding the lease with its first round applied (the one that takes writes), or null.</summary>
    public int? Master => _cluster.Master;

    /// <summary>Starts every node's listeners on 127.0.0.1; stop them with <see cref="DisposeAsync"/>.</summary>
    public static async Task<KeyspaceServer> StartAsync(Reactor reactor, KeyspaceServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= new KeyspaceServerOptions();
        Validate(options);
        var server = new KeyspaceServer(reactor, options);
        try
        {
            for (var node = 0; node < options.Nodes; node++)
            {
                server.Listen(node, node == 0 ? options.Port : 0, 0);
            }

            server._cluster.Start();
        }
        catch
        {
            // Ports already bound must not stay listening when a later one could not be.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private static void Validate(KeyspaceServerOptions options)
    {
        if (options.Nodes < 1)
        {
            throw new ArgumentException($"A Keyspace cluster needs at least one node, not {options.Nodes}.", nameof(options));
        }

        if (options.InitialMaster < 0 || options.InitialMaster >= options.Nodes)
        {
            throw new ArgumentException($"The initial master {options.InitialMaster} is not a node of {options.Nodes}.", nameof(options));
        }

        if (options.LeaseTimeout < TimeSpan.Zero || options.LeaseTimeout > options.ElectionDelay)
        {
            throw new ArgumentException("The lease timeout must lie between zero and the election delay: two masters would hold the lease at once.", nameof(options));
        }
    }

    private void Listen(int node, int clientPort, int httpPort)
    {
        var logger = _reactor.Logger;
        _clientPorts[node] = _reactor.ListenTcp(clientPort, new ServerFactory(() => KeyspaceServerConnection.Create(_cluster, node, logger)), Options.Limits, KeyspaceLimits.MaxFrameBodyBytes);
        _clientEndpoints[node] = new IPEndPoint(IPAddress.Loopback, _clientPorts[node]!.Port);
        if (Options.Http)
        {
            _httpPorts[node] = _reactor.ListenTcp(httpPort, new ServerFactory(() => new KeyspaceHttpConnection(_cluster, node)), Options.Limits);
            _httpEndpoints[node] = new IPEndPoint(IPAddress.Loopback, _httpPorts[node]!.Port);
        }
    }

    /// <summary>Kills a node: its ports close, its connections drop, its unsubmitted writes are lost; killing the master starts an election.</summary>
    public async Task KillNodeAsync(int node)
    {
        CheckNode(node);
        _cluster.Kill(node);
        await StopListeningAsync(node);
    }

    /// <summary>Kills whichever node is master now; returns its id, or null when there was none.</summary>
    public async Task<int?> KillMasterAsync()
    {
        if (Master is not { } master)
        {
            return null;
        }

        await KillNodeAsync(master);
        return master;
    }

    /// <summary>Starts a killed node again on the same ports; it catches up from the others.</summary>
    public Task RestartNodeAsync(int node)
    {
        CheckNode(node);
        if (_clientPorts[node] is null)
        {
            Listen(node, _clientEndpoints[node].Port, _httpEndpoints[node]?.Port ?? 0);
        }

        _cluster.Restart(node);
        return Task.CompletedTask;
    }

    /// <summary>Cuts a node off from the other nodes (clients still reach it). A cut-off master keeps its lease until it ends, then answers its queued writes <c>n</c>.</summary>
    public void IsolateNode(int node)
    {
        CheckNode(node);
        _cluster.Isolate(node);
    }

    /// <summary>Joins a cut-off node back; it catches up with the rounds it missed.</summary>
    public void HealNode(int node)
    {
        CheckNode(node);
        _cluster.Heal(node);
    }

    /// <summary>Drops every client connection of a node; the node keeps running and accepts new ones.</summary>
    public void DropConnections(int node)
    {
        CheckNode(node);
        _cluster.DropConnections(node);
    }

    /// <summary>What a node answers to get-master now (null: it answers <c>n</c>).</summary>
    public int? MasterSeenBy(int node)
    {
        CheckNode(node);
        return _cluster.MasterSeenBy(node);
    }

    /// <summary>The value a node holds for <paramref name="key"/>, read straight from its copy (null when absent).</summary>
    public byte[]? Peek(int node, byte[] key)
    {
        CheckNode(node);
        ArgumentNullException.ThrowIfNull(key);
        return _cluster.Peek(node, key);
    }

    /// <summary>Writes a node (as master) holds queued for its next round, waiting for a submit.</summary>
    public int QueuedWrites(int node)
    {
        CheckNode(node);
        return _cluster.QueuedWrites(node);
    }

    /// <summary>Replicated rounds a node has applied (a new master's empty round included).</summary>
    public long AppliedRounds(int node)
    {
        CheckNode(node);
        return _cluster.AppliedRounds(node);
    }

    /// <summary>True unless the node was killed (or crashed on a 1.9.0 quirk).</summary>
    public bool IsAlive(int node)
    {
        CheckNode(node);
        return _cluster.IsAlive(node);
    }

    /// <summary>Stops every node: listeners close, connections drop, timers stop.</summary>
    public async ValueTask DisposeAsync()
    {
        _cluster.Stop();
        for (var node = 0; node < _clientPorts.Length; node++)
        {
            await StopListeningAsync(node);
            _cluster.DropConnections(node);
        }
    }

    private async Task StopListeningAsync(int node)
    {
        if (_clientPorts[node] is { } client)
        {
            _clientPorts[node] = null;
            await client.StopListening();
        }

        if (_httpPorts[node] is { } http)
        {
            _httpPorts[node] = null;
            await http.StopListening();
        }
    }

    private void CheckNode(int node) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)node, (uint)_clientPorts.Length, nameof(node));
}
