namespace ReactiveKv.Redis;

/// <summary>
/// Who serves each of the 16384 slots: the primary and its replicas, parsed from CLUSTER SHARDS (Redis 7) or
/// CLUSTER SLOTS, in RESP2 or RESP3. Immutable: a change (a MOVED reply, a refresh) makes a new map, so a router
/// can swap maps with one reference write and readers never lock.
/// </summary>
internal sealed class ClusterSlotMap
{
    private const ushort NoOwner = ushort.MaxValue;

    // A slot holds an index into _owners rather than a reference: 32 KB instead of 128 KB to copy for each MOVED.
    private readonly ushort[] _slots;
    private readonly RedisClusterNode[] _owners;
    private readonly Dictionary<string, IReadOnlyList<RedisClusterNode>> _replicas;

    private ClusterSlotMap(ushort[] slots, RedisClusterNode[] owners, Dictionary<string, IReadOnlyList<RedisClusterNode>> replicas, IReadOnlyList<RedisClusterNode> nodes)
    {
        _slots = slots;
        _owners = owners;
        _replicas = replicas;
        Nodes = nodes;
        Covers = Array.IndexOf(slots, NoOwner) < 0;
        Primaries = owners.Where((_, index) => Array.IndexOf(slots, (ushort)index) >= 0)
            .DistinctBy(node => node.Endpoint)
            .OrderBy(node => node.Host, StringComparer.Ordinal).ThenBy(node => node.Port)
            .ToArray();
    }

    /// <summary>Every known node, primaries and online replicas, each once, in the order the reply listed them.</summary>
    public IReadOnlyList<RedisClusterNode> Nodes { get; }

    /// <summary>The primaries that own at least one slot, each once, ordered by host then port (the same order for the same cluster).</summary>
    public IReadOnlyList<RedisClusterNode> Primaries { get; }

    /// <summary>True when every slot has a primary.</summary>
    public bool Covers { get; }

    /// <summary>Parses a CLUSTER SHARDS reply, using each node's plain port (the TLS port when it has none).</summary>
    /// <exception cref="ProtocolErrorException">The reply is not a CLUSTER SHARDS reply.</exception>
    public static ClusterSlotMap FromShards(RespValue reply) => FromShards(reply, preferTls: false);

    /// <summary>Parses a CLUSTER SHARDS reply; <paramref name="preferTls"/> takes each node's <c>tls-port</c> when it has one.</summary>
    /// <exception cref="ProtocolErrorException">The reply is not a CLUSTER SHARDS reply.</exception>
    public static ClusterSlotMap FromShards(RespValue reply, bool preferTls)
    {
        var builder = new Builder();
        foreach (var shard in Aggregate(reply, "CLUSTER SHARDS"))
        {
            // RESP3 sends each shard and node as a map, RESP2 as a flat array; both alternate key and value.
            IReadOnlyList<RespValue> ranges = [];
            IReadOnlyList<RespValue> nodes = [];
            foreach (var (key, value) in Fields(shard))
            {
                if (key == "slots")
                {
                    ranges = value.Items;
                }
                else if (key == "nodes")
                {
                    nodes = value.Items;
                }
            }

            RedisClusterNode? primary = null;
            var replicas = new List<RedisClusterNode>();
            foreach (var entry in nodes)
            {
                string id = "", ip = "", endpoint = "", role = "", health = "online";
                long port = 0, tlsPort = 0;
                foreach (var (key, value) in Fields(entry))
                {
                    switch (key)
                    {
                        case "id": id = value.Text ?? ""; break;
                        case "ip": ip = value.Text ?? ""; break;
                        case "endpoint": endpoint = value.Text ?? ""; break;
                        case "port": port = Integer(value); break;
                        case "tls-port": tlsPort = Integer(value); break;
                        case "role": role = value.Text ?? ""; break;
                        case "health": health = value.Text ?? ""; break;
                    }
                }

                // The endpoint is what the cluster wants clients to use; "?" or empty means it has none to offer.
                var host = endpoint is "" or "?" ? ip : endpoint;
                var usePort = (preferTls && tlsPort > 0) || port == 0 ? tlsPort : port;
                var node = new RedisClusterNode(id, host, (int)usePort, role == "master");
                if (node.IsPrimary)
                {
                    // A failed primary still owns its slots until a replica takes over: keep it, so its slots
                    // route there (and fail) rather than look unassigned.
                    primary = builder.Add(node);
                }
                else if (health == "online")
                {
                    // A replica that is failed or still loading cannot serve reads: leave it out of routing.
                    replicas.Add(builder.Add(node));
                }
            }

            if (primary is null)
            {
                continue;
            }

            builder.SetReplicas(primary, replicas);
            for (var i = 0; i + 1 < ranges.Count; i += 2)
            {
                builder.Assign((int)Integer(ranges[i]), (int)Integer(ranges[i + 1]), primary);
            }
        }

        return builder.Build();
    }

    /// <summary>Parses a CLUSTER SLOTS reply. A node listed with an empty host is taken to be on <paramref name="connectedHost"/>, as the protocol says.</summary>
    /// <exception cref="ProtocolErrorException">The reply is not a CLUSTER SLOTS reply.</exception>
    public static ClusterSlotMap FromSlots(RespValue reply, string? connectedHost)
    {
        var builder = new Builder();
        foreach (var range in Aggregate(reply, "CLUSTER SLOTS"))
        {
            // [start, end, [host, port, id, metadata], replica…]
            if (range.Items.Count < 3)
            {
                throw new ProtocolErrorException("A CLUSTER SLOTS range has no primary.");
            }

            RedisClusterNode? primary = null;
            var replicas = new List<RedisClusterNode>();
            for (var i = 2; i < range.Items.Count; i++)
            {
                var fields = range.Items[i].Items;
                if (fields.Count < 2)
                {
                    throw new ProtocolErrorException("A CLUSTER SLOTS node has no host and port.");
                }

                var host = fields[0].IsNull ? "" : fields[0].Text ?? "";
                if (host is "" or "?")
                {
                    host = connectedHost ?? host;
                }

                var id = fields.Count > 2 ? fields[2].Text ?? "" : "";
                var node = builder.Add(new RedisClusterNode(id, host, (int)Integer(fields[1]), i == 2));
                if (i == 2)
                {
                    primary = node;
                }
                else
                {
                    replicas.Add(node);
                }
            }

            builder.SetReplicas(primary!, replicas);
            builder.Assign((int)Integer(range.Items[0]), (int)Integer(range.Items[1]), primary!);
        }

        return builder.Build();
    }

    /// <summary>Parses a CLUSTER SLOTS reply (nodes with an empty host keep it empty).</summary>
    /// <exception cref="ProtocolErrorException">The reply is not a CLUSTER SLOTS reply.</exception>
    public static ClusterSlotMap FromSlots(RespValue reply) => FromSlots(reply, null);

    /// <summary>The primary serving <paramref name="slot"/>, or null when no node owns it.</summary>
    public RedisClusterNode? PrimaryOf(int slot)
    {
        var owner = _slots[slot];
        return owner == NoOwner ? null : _owners[owner];
    }

    /// <summary>The online replicas of the primary serving <paramref name="slot"/> (empty when none or unknown).</summary>
    public IReadOnlyList<RedisClusterNode> ReplicasOf(int slot) =>
        PrimaryOf(slot) is { } primary && _replicas.TryGetValue(primary.Endpoint, out var replicas) ? replicas : [];

    /// <summary>
    /// A new map where <paramref name="slot"/> is served by the node at <paramref name="host"/>:<paramref name="port"/>,
    /// as a MOVED reply says; the node is added with an empty id when the map does not know it. This map is unchanged.
    /// </summary>
    public ClusterSlotMap WithSlotMovedTo(int slot, string host, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, HashSlot.Count);
        var target = new RedisClusterNode("", host, port, true);
        var known = Nodes.FirstOrDefault(node => node.Endpoint == target.Endpoint);
        var nodes = Nodes.ToList();
        var replicas = new Dictionary<string, IReadOnlyList<RedisClusterNode>>(_replicas, StringComparer.Ordinal);
        if (known is null)
        {
            nodes.Add(target);
        }
        else if (!known.IsPrimary)
        {
            // A replica that answers MOVED for itself was promoted (failover): it is a primary now, no one's replica.
            target = known with { IsPrimary = true };
            nodes[nodes.IndexOf(known)] = target;
            foreach (var (primary, list) in _replicas)
            {
                if (list.Contains(known))
                {
                    replicas[primary] = list.Where(node => node != known).ToArray();
                }
            }
        }
        else
        {
            target = known;
        }

        var owners = _owners.ToList();
        var index = owners.FindIndex(node => node.Endpoint == target.Endpoint);
        if (index < 0)
        {
            owners.Add(target);
            index = owners.Count - 1;
        }
        else
        {
            owners[index] = target;
        }

        var slots = (ushort[])_slots.Clone();
        slots[slot] = (ushort)index;
        return new ClusterSlotMap(slots, [.. owners], replicas, nodes);
    }

    private static IReadOnlyList<RespValue> Aggregate(RespValue reply, string command) =>
        reply.Type is RespType.Array or RespType.Set && !reply.IsNull
            ? reply.Items
            : throw new ProtocolErrorException($"{command} answered {reply.Type}, not an array: {reply}");

    private static IEnumerable<(string Key, RespValue Value)> Fields(RespValue value)
    {
        if (value.Type is not (RespType.Map or RespType.Array))
        {
            throw new ProtocolErrorException($"Expected a map or a flat array of fields, got {value.Type}.");
        }

        for (var i = 0; i + 1 < value.Items.Count; i += 2)
        {
            yield return (value.Items[i].Text ?? "", value.Items[i + 1]);
        }
    }

    private static long Integer(RespValue value) => value.Type switch
    {
        RespType.Integer => value.Integer,
        _ when long.TryParse(value.Text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ProtocolErrorException($"Expected an integer, got {value}."),
    };

    /// <summary>Collects nodes once each (by endpoint) and the owner of each slot.</summary>
    private sealed class Builder
    {
        private readonly ushort[] _slots = CreateSlots();
        private readonly List<RedisClusterNode> _owners = [];
        private readonly List<RedisClusterNode> _nodes = [];
        private readonly Dictionary<string, IReadOnlyList<RedisClusterNode>> _replicas = new(StringComparer.Ordinal);

        public RedisClusterNode Add(RedisClusterNode node)
        {
            var known = _nodes.Find(existing => existing.Endpoint == node.Endpoint);
            if (known is not null)
            {
                return known;
            }

            _nodes.Add(node);
            return node;
        }

        public void SetReplicas(RedisClusterNode primary, List<RedisClusterNode> replicas)
        {
            if (replicas.Count > 0 || !_replicas.ContainsKey(primary.Endpoint))
            {
                _replicas[primary.Endpoint] = replicas.ToArray();
            }
        }

        public void Assign(int start, int end, RedisClusterNode primary)
        {
            if (start < 0 || end >= HashSlot.Count || start > end)
            {
                throw new ProtocolErrorException($"Slot range {start}-{end} is out of 0-{HashSlot.Count - 1}.");
            }

            var index = _owners.IndexOf(primary);
            if (index < 0)
            {
                _owners.Add(primary);
                index = _owners.Count - 1;
            }

            _slots.AsSpan(start, end - start + 1).Fill((ushort)index);
        }

        public ClusterSlotMap Build() => new(_slots, [.. _owners], _replicas, _nodes.ToArray());

        private static ushort[] CreateSlots()
        {
            var slots = new ushort[HashSlot.Count];
            slots.AsSpan().Fill(NoOwner);
            return slots;
        }
    }
}
