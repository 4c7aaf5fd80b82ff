using Microsoft.Extensions.Logging;

namespace ReactiveKv.Redis;

/// <summary>
/// Sends each command of a <see cref="RedisClient"/> to the Redis Cluster node that owns its keys' hash slot: one
/// multiplexed connection per node (each the shared client-connection service), a slot map read with
/// <c>CLUSTER SHARDS</c> (or <c>CLUSTER SLOTS</c>) and kept current by the redirects the nodes send back. Safe from
/// any thread: the map is swapped whole, redirects arrive on the loops of the nodes that sent them.
/// </summary>
internal sealed class RedisClusterRouter : IRedirectHandler, IAsyncDisposable
{
    private const int MaxRedirects = 16;
    private static readonly TimeSpan RefreshSpacing = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DownRefreshInterval = TimeSpan.FromMilliseconds(500);

    [ThreadStatic]
    private static List<int>? t_keys;

    private static readonly Action<ILogger, string, Exception?> MapRefreshFailed = LoggerMessage.Define<string>(
        LogLevel.Warning,
        new EventId(ClientEventIds.TopologyRefreshFailed, nameof(ClientEventIds.TopologyRefreshFailed)),
        "Redis Cluster map refresh failed: none of {Nodes} returned the slot map");

    private readonly Reactor _reactor;
    private readonly RedisOptions _options;
    private readonly RedisMultiplexer _seed;
    private readonly Action<RedisMultiplexer>? _configure;
    private readonly EventLoop? _loop;
    private readonly object _gate = new();
    private readonly Dictionary<string, RedisMultiplexer> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RedisMultiplexer> _replicaConnections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RedisConnectionPool> _pools = new(StringComparer.Ordinal);
    private volatile ClusterSlotMap? _map;
    private volatile RedisMultiplexer?[] _owners = new RedisMultiplexer?[HashSlot.Count];
    private volatile RedisMultiplexer?[]? _readers;
    private Task<ClusterSlotMap>? _refreshing;
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;
    private bool _refreshQueued;
    private bool _disposed;

    /// <param name="reactor">The reactor.</param>
    /// <param name="options">The client's options.</param>
    /// <param name="seed">The client's first connection, kept as the connection to its node.</param>
    /// <param name="configure">Runs on every node connection the router makes (a client cache attaches to it).</param>
    /// <param name="loop">A loop every node connection must live on; default: the reactor spreads them.</param>
    public RedisClusterRouter(Reactor reactor, RedisOptions options, RedisMultiplexer seed, Action<RedisMultiplexer>? configure = null, EventLoop? loop = null)
    {
        _configure = configure;
        _loop = loop;
        _reactor = reactor;
        _options = options;
        _seed = seed;
        _connections[seed.Endpoint] = seed;
        seed.Down = _ => NodeDown();
    }

    /// <summary>True while a connection to some node is up.</summary>
    public bool AnyConnected
    {
        get
        {
            lock (_gate)
            {
                return _connections.Values.Any(c => c.IsConnected);
            }
        }
    }

    /// <summary>
    /// After a map read that moved slots (a failover, a resharding): each node that now owns slots it did not own
    /// before is a primary change for the client's log and connection events. The first map read is not a change.
    /// </summary>
    private void ReportNewPrimaries(RedisMultiplexer?[] before, RedisMultiplexer?[] after)
    {
        if (_options.Monitor is not { } monitor || Array.TrueForAll(before, o => o is null))
        {
            return;
        }

        var gained = new Dictionary<RedisMultiplexer, int>();
        for (var slot = 0; slot < after.Length; slot++)
        {
            if (after[slot] is { } owner && !ReferenceEquals(owner, before[slot]))
            {
                gained[owner] = gained.GetValueOrDefault(owner) + 1;
            }
        }

        foreach (var (owner, slots) in gained)
        {
            monitor.Publish(ClientConnectionEventKind.PrimaryChanged, owner.Endpoint, detail: $"{owner.Endpoint} now serves {slots} more slot(s)");
        }
    }

    /// <summary>The slot map last read, or null before the first refresh.</summary>
    public ClusterSlotMap? Map => _map;

    /// <summary>Raised (on a pool thread or a loop) after a map read changed which node owns some slot.</summary>
    public event Action? MapChanged;

    /// <summary>The <c>host:port</c> of the node that owns <paramref name="slot"/> as far as the client knows (the seed before any map).</summary>
    public string OwnerEndpoint(int slot) => (_owners[slot] ?? _seed).Endpoint;

    private DateTimeOffset Now => _seed.Loop.Now;

    /// <summary>Routes a command by its keys; multi-key commands whose keys span slots are split or refused.</summary>
    public Deferred<T> Submit<T>(RedisCommand<T> command, TimeSpan? timeout)
    {
        if (!Admit(command, timeout))
        {
            return command.Result;
        }

        var slot = SlotOf(command, out var slots);
        if (slot == CrossSlot)
        {
            if (!ClusterFanOut.TrySplit(this, command, timeout))
            {
                command.Fail(CrossSlotError(command.Name, slots!));
            }

            return command.Result;
        }

        if (slot == NoKeys && command.PinnedTo is null && ClusterFanOut.TryRunOnPrimaries(this, command, timeout))
        {
            return command.Result;
        }

        // The first send keeps the caller's timeout as given: the default one joins the service's cheap deadline
        // queue, where a computed remainder would arm a timer per command. Resends carry what is left.
        NodeFor(command, slot).Send(command, timeout);
        return command.Result;
    }

    /// <summary>A command of a type only known at run time (a batch's): typed again through its own <see cref="RedisCommand.SubmitTo"/>.</summary>
    public void SubmitUntyped(RedisCommand command, TimeSpan? timeout)
    {
        if (!Admit(command, timeout))
        {
            return;
        }

        var slot = SlotOf(command, out var slots);
        if (slot == CrossSlot)
        {
            command.Fail(CrossSlotError(command.Name, slots!));
            return;
        }

        NodeFor(command, slot).Send(command, timeout);
    }

    /// <summary>
    /// A batch: each command to its slot's node, the commands of one node written there back to back in the batch's
    /// order; commands whose keys span slots are split as single commands are.
    /// </summary>
    public void SubmitBatch(IReadOnlyList<RedisCommand> group, TimeSpan? timeout)
    {
        var perNode = new Dictionary<RedisMultiplexer, List<RedisCommand>>();
        foreach (var command in group)
        {
            if (!Admit(command, timeout))
            {
                continue;
            }

            var slot = SlotOf(command, out _);
            if (slot == CrossSlot)
            {
                command.SubmitTo(this, timeout);
                continue;
            }

            var node = NodeFor(command, slot);
            if (!perNode.TryGetValue(node, out var list))
            {
                perNode[node] = list = [];
            }

            list.Add(command);
        }

        foreach (var (node, commands) in perNode)
        {
            node.SubmitGroup(commands, timeout);
        }
    }

    /// <summary>MULTI … EXEC: every key of the transaction must hash to one slot, whose node runs it.</summary>
    public void SubmitTransaction(IReadOnlyList<RedisCommand> group, TimeSpan? timeout)
    {
        var slot = NoKeys;
        var slots = new SortedSet<int>();
        foreach (var command in group)
        {
            var own = SlotOf(command.Executed, out var spanned);
            if (own == CrossSlot)
            {
                slots.UnionWith(spanned!);
            }
            else if (own >= 0)
            {
                slots.Add(own);
                slot = own;
            }
        }

        if (slots.Count > 1)
        {
            var error = CrossSlotError("MULTI", slots);
            foreach (var command in group)
            {
                command.Fail(error);
            }

            return;
        }

        foreach (var command in group)
        {
            if (command.Database > 0)
            {
                command.Fail(DatabaseError(command.Name));
                return;
            }
        }

        (slot >= 0 ? _owners[slot] ?? _seed : AnyNode()).SubmitGroup(group, timeout);
    }

    /// <summary>The connection pool of the node that owns the keys' slot (blocking commands, WATCH transactions).</summary>
    public RedisConnectionPool PoolFor(IReadOnlyList<RedisValue> keys)
    {
        var slot = NoKeys;
        var slots = new SortedSet<int>();
        foreach (var key in keys)
        {
            slot = HashSlot.Of(key);
            slots.Add(slot);
        }

        if (slots.Count > 1)
        {
            throw CrossSlotError("the keys", slots);
        }

        var node = slot >= 0 ? _owners[slot] ?? _seed : AnyNode();
        lock (_gate)
        {
            if (!_pools.TryGetValue(node.Endpoint, out var pool))
            {
                _pools[node.Endpoint] = pool = new RedisConnectionPool(_reactor, NodeOptions(node.Endpoint));
            }

            return pool;
        }
    }

    /// <summary>The nodes of the last map (primaries first), read from the cluster if no map was read yet.</summary>
    public async Task<IReadOnlyList<RedisClusterNode>> NodesAsync(CancellationToken cancellationToken = default)
    {
        var map = _map ?? await RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return map.Nodes;
    }

    /// <summary>The connection of every primary of the current map, reading the map first if there is none.</summary>
    public async Task<IReadOnlyList<(RedisClusterNode Node, RedisMultiplexer Connection)>> PrimariesAsync(CancellationToken cancellationToken = default)
    {
        var map = _map ?? await RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. map.Primaries.Select(p => (p, Connection(p.Host, p.Port)))];
    }

    /// <summary>Reads the slot map now (shared with a read already under way) and routes by it.</summary>
    public Task<ClusterSlotMap> RefreshAsync()
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                return running;
            }

            _lastRefresh = Now;
            return _refreshing = ReadMapAsync();
        }
    }

    bool IRedirectHandler.TryRedirect(RedisCommand command, string error) => TryRedirect(command, error);

    /// <summary>Acts on MOVED, ASK, TRYAGAIN and CLUSTERDOWN within the command's deadline; false leaves the error to the caller.</summary>
    public bool TryRedirect(RedisCommand command, string error)
    {
        var redirect = ClusterRedirect.Parse(error);
        if (redirect.Kind is ClusterRedirectKind.None or ClusterRedirectKind.CrossSlot || _disposed
            || command.Redirected >= MaxRedirects || Now >= DeadlineOf(command) || command.CopyToResend() is not { } again)
        {
            return false;
        }

        again.Deadline = DeadlineOf(command);

        switch (redirect.Kind)
        {
            case ClusterRedirectKind.Moved:
                var owner = Connection(redirect.Host, redirect.Port);
                _owners[redirect.Slot] = owner;
                _map = _map?.WithSlotMovedTo(redirect.Slot, redirect.Host, redirect.Port);
                RequestRefresh();
                owner.Send(again, Remaining(again));
                return true;
            case ClusterRedirectKind.Ask:
                // ASKING lets the importing node answer one command for a slot it does not own yet; written as a pair so
                // nothing comes between them.
                var asking = new RedisCommand<bool>("ASKING", -1, [], Replies.Ok);
                Connection(redirect.Host, redirect.Port).SubmitGroup([asking, again], Remaining(again));
                return true;
            default:
                // TRYAGAIN (keys of a multi-key command mid-migration) and CLUSTERDOWN (a failover under way) heal by
                // themselves: back off, read the map again, and route anew.
                if (redirect.Kind == ClusterRedirectKind.ClusterDown)
                {
                    RequestRefresh();
                }

                var delay = TimeSpan.FromMilliseconds(Math.Min(1000, 10 << Math.Min(again.Redirected, 7)));
                Later(delay, () => Reroute(again));
                return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        RedisMultiplexer[] connections;
        RedisConnectionPool[] pools;
        lock (_gate)
        {
            _disposed = true;
            connections = [.. _connections.Values.Where(c => c != _seed), .. _replicaConnections.Values];
            pools = [.. _pools.Values];
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pool in pools)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal const int NoKeys = -1;
    internal const int CrossSlot = -2;

    /// <summary>The slot of the command's keys, <see cref="NoKeys"/>, or <see cref="CrossSlot"/> with the slots it spans.</summary>
    internal static int SlotOf(RedisCommand command, out SortedSet<int>? slots)
    {
        slots = null;
        var keys = t_keys ??= new List<int>(8);
        keys.Clear();
        if (!CommandKeys.TryFind(command.Name, command.Arguments, keys) || keys.Count == 0)
        {
            return NoKeys;
        }

        var arguments = command.Arguments;
        var slot = HashSlot.Of(arguments[keys[0]]);
        for (var i = 1; i < keys.Count; i++)
        {
            var other = HashSlot.Of(arguments[keys[i]]);
            if (other != slot)
            {
                slots ??= [slot];
                slots.Add(other);
            }
        }

        return slots is null ? slot : CrossSlot;
    }

    internal static RedisCrossSlotException CrossSlotError(string command, IEnumerable<int> slots) => new(command, [.. slots]);

    /// <summary>Sends a part of a split command (or a fan-out's copy for one node) and returns its result.</summary>
    internal Deferred<T> SendPart<T>(RedisCommand<T> part, RedisMultiplexer? node, TimeSpan? timeout)
    {
        part.Redirects = this;
        if (node is not null)
        {
            part.PinnedTo = node;
            part.Redirects = null;
            node.Send(part, timeout);
            return part.Result;
        }

        NodeFor(part, SlotOf(part, out _)).Send(part, timeout);
        return part.Result;
    }

    internal RedisMultiplexer Connection(string host, int port)
    {
        var endpoint = $"{host}:{port}";
        lock (_gate)
        {
            if (!_connections.TryGetValue(endpoint, out var connection))
            {
                _connections[endpoint] = connection = new RedisMultiplexer(_reactor, NodeOptions(endpoint), lazy: true, onLoop: _loop);
                connection.Down = _ => NodeDown();
                _configure?.Invoke(connection);
            }

            return connection;
        }
    }

    private bool Admit(RedisCommand command, TimeSpan? timeout)
    {
        if (command.Database > 0)
        {
            command.Fail(DatabaseError(command.Name));
            return false;
        }

        // The deadline is the one the node's service sets when it accepts the command (ClientRequest.Due): no
        // clock read here on the hot path.
        command.Redirects = this;
        return true;
    }

    private static InvalidOperationException DatabaseError(string command) =>
        new($"{command}: a Redis Cluster has database 0 only; use keys with a prefix instead of other databases.");

    /// <summary>The deadline a resend keeps to: the one set for it, else the one its first node's service gave it.</summary>
    internal static DateTimeOffset DeadlineOf(RedisCommand command) => command.Deadline != default ? command.Deadline : command.Due;

    private TimeSpan? Remaining(RedisCommand command)
    {
        var deadline = DeadlineOf(command);
        if (deadline == DateTimeOffset.MaxValue)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = deadline - Now;
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }

    private RedisMultiplexer NodeFor(RedisCommand command, int slot)
    {
        if (command.PinnedTo is RedisMultiplexer pinned)
        {
            return pinned;
        }

        if (slot < 0)
        {
            return AnyNode();
        }

        if (_readers is { } readers && readers[slot] is { } replica && ClusterFanOut.IsReadOnly(command.Name))
        {
            return replica;
        }

        if (_owners[slot] is { } owner)
        {
            return owner;
        }

        // No map yet: the seed answers what it owns and redirects the rest.
        RequestRefresh();
        return _seed;
    }

    private RedisMultiplexer AnyNode()
    {
        if (_seed.IsConnected || _map is null)
        {
            return _seed;
        }

        foreach (var primary in _map.Primaries)
        {
            var connection = Connection(primary.Host, primary.Port);
            if (connection.IsConnected)
            {
                return connection;
            }
        }

        return _seed;
    }

    private void Reroute(RedisCommand command)
    {
        var slot = SlotOf(command.Executed, out _);
        NodeFor(command, slot == CrossSlot ? NoKeys : slot).Send(command, Remaining(command));
    }

    private void RequestRefresh()
    {
        lock (_gate)
        {
            if (_disposed || _refreshQueued || _refreshing is { IsCompleted: false })
            {
                return;
            }

            var wait = _lastRefresh + RefreshSpacing - Now;
            if (wait > TimeSpan.Zero)
            {
                // Redirects come in bursts (a slot moved under a thousand pipelined commands): one read of the map serves them all.
                _refreshQueued = true;
                Later(wait, () =>
                {
                    lock (_gate)
                    {
                        _refreshQueued = false;
                    }

                    _ = RefreshAsync();
                });
                return;
            }
        }

        _ = RefreshAsync();
    }

    private void NodeDown()
    {
        // A node that went away may have failed over: read the map until it owns nothing or is back.
        RequestRefresh();
        Later(DownRefreshInterval, () =>
        {
            if (!_disposed && _connections.Values.Any(c => !c.IsConnected && OwnsSlots(c)))
            {
                RequestRefresh();
            }
        });
    }

    // CallLater is the loop's own business: callers on other threads (a command routed before any map) hop there first.
    private void Later(TimeSpan delay, Action action)
    {
        var loop = _seed.Loop;
        if (loop.IsLoopThread)
        {
            loop.CallLater(delay, action);
        }
        else
        {
            loop.Execute(() => loop.CallLater(delay, action));
        }
    }

    private bool OwnsSlots(RedisMultiplexer connection) => Array.IndexOf(_owners, connection) >= 0;

    private async Task<ClusterSlotMap> ReadMapAsync()
    {
        Exception? last = null;
        foreach (var candidate in Candidates())
        {
            try
            {
                var map = await ReadMapFromAsync(candidate).ConfigureAwait(false);
                if (map.Primaries.Count > 0)
                {
                    Apply(map);
                    return map;
                }
            }
            catch (Exception e) when (e is ReactorException or OperationTimeoutException or RedisReplyException or ProtocolErrorException or TimeoutException)
            {
                last = e;
            }
        }

        var error = new RedisConnectionException(
            $"Could not read the Redis Cluster's slot map from any node ({string.Join(", ", Candidates().Select(c => c.Endpoint))}): {last?.Message}", false, last);
        MapRefreshFailed(_options.Monitor?.Logger ?? _reactor.Logger, string.Join(", ", Candidates().Select(c => c.Endpoint)), error);
        throw error;
    }

    private IEnumerable<RedisMultiplexer> Candidates()
    {
        var seen = new HashSet<RedisMultiplexer>();
        var known = _map?.Primaries.Select(p => Connection(p.Host, p.Port)) ?? [];
        var seeds = _options.Seeds.Count > 0 ? _options.Seeds.Select(s => Connection(s.Host, s.Port)) : [_seed];
        var all = known.Concat(seeds).ToList();
        foreach (var connected in all.Where(c => c.IsConnected).Concat(all))
        {
            if (seen.Add(connected))
            {
                yield return connected;
            }
        }
    }

    private async Task<ClusterSlotMap> ReadMapFromAsync(RedisMultiplexer node)
    {
        var timeout = _options.ConnectTimeout + _options.OperationTimeout;
        if (!node.IsConnected)
        {
            // A seed that is down fails its first attempt at once instead of holding the read in its backlog.
            await node.ConnectAsync().ConfigureAwait(false);
        }

        try
        {
            var shards = node.Submit(new RedisCommand<RespValue>("CLUSTER", -1, ["SHARDS"], Replies.Any), timeout);
            return ClusterSlotMap.FromShards(await shards);
        }
        catch (RedisReplyException e) when (e.ServerMessage.Contains("unknown subcommand", StringComparison.OrdinalIgnoreCase) || e.ServerMessage.Contains("Unknown subcommand", StringComparison.Ordinal))
        {
            // Redis before 7 has CLUSTER SLOTS only.
            var slots = node.Submit(new RedisCommand<RespValue>("CLUSTER", -1, ["SLOTS"], Replies.Any), timeout);
            return ClusterSlotMap.FromSlots(await slots);
        }
    }

    private void Apply(ClusterSlotMap map)
    {
        var owners = new RedisMultiplexer?[HashSlot.Count];
        var readers = _options.ReadFromReplicas ? new RedisMultiplexer?[HashSlot.Count] : null;
        var byNode = new Dictionary<RedisClusterNode, RedisMultiplexer>();
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            if (map.PrimaryOf(slot) is { } primary)
            {
                if (!byNode.TryGetValue(primary, out var connection))
                {
                    byNode[primary] = connection = Connection(primary.Host, primary.Port);
                }

                owners[slot] = connection;
            }

            if (readers is not null && map.ReplicasOf(slot) is { Count: > 0 } replicas)
            {
                readers[slot] = ReplicaConnection(replicas[slot % replicas.Count]);
            }
        }

        RedisMultiplexer[] orphans;
        RedisMultiplexer?[] before;
        bool changed;
        lock (_gate)
        {
            before = _owners;
            changed = !before.AsSpan().SequenceEqual(owners);
            _map = map;
            _owners = owners;
            _readers = readers;
            orphans = [.. _connections.Values.Where(c => Array.IndexOf(owners, c) < 0)];
        }

        if (changed)
        {
            ReportNewPrimaries(before, owners);
            MapChanged?.Invoke();
        }

        // Commands waiting for a node that no longer owns anything (it failed over, or its slots moved) go where their slots are now.
        foreach (var orphan in orphans)
        {
            orphan.Loop.Execute(() => orphan.TakeBacklog(group =>
            {
                if (group.Count == 1)
                {
                    Reroute(group[0]);
                }
                else
                {
                    var slot = NoKeys;
                    foreach (var command in group)
                    {
                        var own = SlotOf(command.Executed, out _);
                        slot = own >= 0 ? own : slot;
                    }

                    (slot >= 0 ? _owners[slot] ?? _seed : AnyNode()).SubmitGroup(group, Remaining(group[^1]));
                }
            }));
        }
    }

    private RedisMultiplexer ReplicaConnection(RedisClusterNode replica)
    {
        lock (_gate)
        {
            if (!_replicaConnections.TryGetValue(replica.Endpoint, out var connection))
            {
                _replicaConnections[replica.Endpoint] = connection = new RedisMultiplexer(_reactor, NodeOptions(replica.Endpoint), lazy: true, readOnly: true, onLoop: _loop);
                connection.Down = _ => NodeDown();
                _configure?.Invoke(connection);
            }

            return connection;
        }
    }

    internal RedisOptions NodeOptions(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return _options with
        {
            Host = endpoint[..colon].Trim('[', ']'),
            Port = int.Parse(endpoint.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture),
            Seeds = [],
            Database = 0,
        };
    }
}
