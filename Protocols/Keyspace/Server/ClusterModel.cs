using System.Globalization;
using System.Reactive.Concurrency;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// The cluster model of §14, shared by every node's connections (on whatever loops they run) under one lock: the
/// lease holder, the write queue applied as a round on submit and replicated to every node that hears the master,
/// reads from a node's own state, rejections of §8.3, elections after a loss, expiry fired by the master. Timers
/// run on the cluster's clock; replies go through each connection's <see cref="IReplySink"/>, in the order made.
/// </summary>
internal sealed partial class ClusterModel
{
    /// <summary>Queued bytes at which the master starts a round without waiting for a submit (§6).</summary>
    private const int RoundBytes = 500_000;

    private readonly object _gate = new();
    private readonly ClusterNode[] _nodes;
    private readonly IScheduler _clock;
    private readonly KeyspaceServerOptions _options;
    private IDisposable? _election;
    private IDisposable? _expiry;

    // A master that died or was cut off, and when: the others keep naming it until its lease would end.
    private int _lostMaster = -1;
    private DateTimeOffset _lostAt;

    public ClusterModel(KeyspaceServerOptions options, IScheduler clock)
    {
        _options = options;
        _clock = clock;
        _nodes = [.. Enumerable.Range(0, options.Nodes).Select(i => new ClusterNode(i))];
        if (!Replicated || options.MasterAtStart)
        {
            var first = _nodes[Replicated ? options.InitialMaster : 0];
            first.IsMaster = true;
            first.Safe = true;
        }
    }

    /// <summary>Starts the clock-driven parts: without a master at start, the first election.</summary>
    public void Start()
    {
        lock (_gate)
        {
            Reevaluate();
        }
    }

    /// <summary>Called (outside the lock) when a node crashes by itself (the 1.9.0 reserved-key read).</summary>
    public Action<int>? Crashed { get; set; }

    public bool Replicated => _nodes.Length > 1;

    public int NodeCount => _nodes.Length;

    private int Majority => (_nodes.Length / 2) + 1;

    private long NowMs => _clock.Now.ToUnixTimeMilliseconds();

    /// <summary>The node that holds the lease and can apply rounds, if any.</summary>
    public int? Master
    {
        get
        {
            lock (_gate)
            {
                return Committing() is { } master ? master.Id : null;
            }
        }
    }

    /// <summary>Registers a connection to <paramref name="node"/>; false when the node is down (the caller drops it).</summary>
    public bool Connect(int node, IReplySink sink)
    {
        lock (_gate)
        {
            return _nodes[node].Alive && _nodes[node].Connections.Add(sink);
        }
    }

    public void Disconnect(int node, IReplySink sink)
    {
        lock (_gate)
        {
            _nodes[node].Connections.Remove(sink);
        }
    }

    /// <summary>Runs one request that arrived at <paramref name="node"/>.</summary>
    public void Handle(int node, KeyspaceRequest request, IReplySink sink)
    {
        var crashed = false;
        lock (_gate)
        {
            var at = _nodes[node];
            if (!at.Alive)
            {
                sink.Abort();
                return;
            }

            crashed = Dispatch(at, request, sink);
        }

        if (crashed)
        {
            Crashed?.Invoke(node);
        }
    }

    /// <summary>Returns true when the request crashed the node.</summary>
    private bool Dispatch(ClusterNode node, KeyspaceRequest request, IReplySink sink)
    {
        if (request.Letter == (byte)'m')
        {
            var master = ReportedMaster(node);
            sink.Send(master < 0 ? ServerReply.NotMaster(request.Id) : ServerReply.Ok(request.Id, Ascii(master)));
        }
        else if (_clock.Now < node.CatchingUpUntil)
        {
            // A node downloading the database answers nothing else; a submit is still just ignored.
            if (request.Letter != (byte)'*')
            {
                Reject(request, sink);
            }
        }
        else if (request.Letter == (byte)'*')
        {
            // A submit to a non-master is ignored: no reply, no close (§6).
            if (node.IsMaster)
            {
                Submit(node);
            }
        }
        else if (request.IsDirtyRead || request.IsSafeRead)
        {
            if (request.IsSafeRead && !(node.IsMaster && node.Safe))
            {
                Reject(request, sink);
            }
            else
            {
                return Read(node, request, sink);
            }
        }
        else
        {
            Write(node, request, sink);
        }

        return false;
    }

    private static void Reject(KeyspaceRequest request, IReplySink sink) => sink.Send(ServerReply.Failed(request.Id), thenClose: true);

    private void Write(ClusterNode node, KeyspaceRequest write, IReplySink sink)
    {
        if (!node.IsMaster || (Replicated && WritesReservedKey(write)))
        {
            Reject(write, sink);
            return;
        }

        // The node that receives a set-expiry fixes its absolute time (§7.5).
        var due = write.Letter == (byte)'x' ? NowMs + (long)Math.Min(write.Seconds, 1UL << 40) * 1000 : 0;
        if (!Replicated)
        {
            // Single mode applies and answers at once; a submit only makes it durable (§6).
            sink.Send(node.State.Apply(write, due));
            ArmExpiry();
            return;
        }

        node.Queue.Add((write, sink, due));
        node.QueuedBytes += write.Size;
        if (node.QueuedBytes >= RoundBytes)
        {
            Submit(node);
        }
    }

    // Only the main key is checked, and exactly "@@" or "!!" passes (§7.9).
    private static bool WritesReservedKey(KeyspaceRequest write)
    {
        var key = write.Letter == (byte)'z' ? write.Prefix : write.Key;
        return write.Letter != (byte)'w' && key.Length > 2 && ListWalker.IsReserved(key);
    }

    private void Submit(ClusterNode master)
    {
        if (master.Safe && master.Queue.Count > 0 && CanCommit(master))
        {
            ApplyRound(master);
        }
    }

    /// <summary>Applies the master's whole queue as one round on every node that hears it, then answers in queue order.</summary>
    private void ApplyRound(ClusterNode master)
    {
        var round = master.Queue.ToArray();
        master.Queue.Clear();
        master.QueuedBytes = 0;
        var followers = Followers(master);
        foreach (var (write, sink, due) in round)
        {
            var reply = master.State.Apply(write, due);
            foreach (var follower in followers)
            {
                follower.State.Apply(write, due);
            }

            sink.Send(reply);
        }

        EndRound(master, followers);
        ArmExpiry();
    }

    private static void EndRound(ClusterNode master, List<ClusterNode> followers)
    {
        master.State.Round++;
        foreach (var follower in followers)
        {
            follower.State.Round = master.State.Round;
        }
    }

    private List<ClusterNode> Followers(ClusterNode master) =>
        master.Isolated ? [] : [.. _nodes.Where(n => n != master && n.Alive && !n.Isolated)];

    private bool CanCommit(ClusterNode master) =>
        master.Alive && !master.Isolated && _nodes.Count(n => n.Alive && !n.Isolated) >= Majority;

    private ClusterNode? Committing() => _nodes.FirstOrDefault(n => n.IsMaster && n.Safe && CanCommit(n));

    /// <summary>What <paramref name="node"/> answers to get-master (-1: <c>n</c>), §7.7 and §8.2.</summary>
    private int ReportedMaster(ClusterNode node)
    {
        var now = _clock.Now;
        if (!Replicated)
        {
            return 0;
        }

        if (node.IsMaster)
        {
            return node.Id;
        }

        if (node.Isolated)
        {
            return now < node.IsolatedAt + _options.LeaseTimeout ? node.MasterAtIsolation : -1;
        }

        if (now < node.RestartedAt + _options.LeaseTimeout)
        {
            // A restarted node has not heard the lease yet.
            return -1;
        }

        if (_nodes.FirstOrDefault(n => n.IsMaster && n.Alive && !n.Isolated) is { } master)
        {
            return master.Id;
        }

        return _lostMaster >= 0 && now < _lostAt + _options.LeaseTimeout ? _lostMaster : -1;
    }

    /// <summary>What a node has stored under <paramref name="key"/> (for tests: is a write on every node?).</summary>
    public byte[]? Peek(int node, byte[] key)
    {
        lock (_gate)
        {
            return _nodes[node].State.Data.Get(key);
        }
    }

    /// <summary>Writes a node holds queued for its next round.</summary>
    public int QueuedWrites(int node)
    {
        lock (_gate)
        {
            return _nodes[node].Queue.Count;
        }
    }

    /// <summary>Rounds a node has applied.</summary>
    public long AppliedRounds(int node)
    {
        lock (_gate)
        {
            return _nodes[node].State.Round;
        }
    }

    /// <summary>What a node answers to get-master now (null: <c>n</c>).</summary>
    public int? MasterSeenBy(int node)
    {
        lock (_gate)
        {
            var master = ReportedMaster(_nodes[node]);
            return master < 0 ? null : master;
        }
    }

    public bool IsAlive(int node)
    {
        lock (_gate)
        {
            return _nodes[node].Alive;
        }
    }

    private static byte[] Ascii(ulong number) => Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture));

    private static byte[] Ascii(long number) => Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture));
}
