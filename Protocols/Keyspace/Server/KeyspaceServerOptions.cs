using System.Reactive.Concurrency;

namespace ReactiveKv.Keyspace;

/// <summary>How an embedded <see cref="KeyspaceServer"/> cluster is laid out and how it behaves.</summary>
public sealed record KeyspaceServerOptions
{
    /// <summary>Nodes in the cluster: 1 runs single mode, more run replicated mode with a master lease.</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>Client port of node 0 on 127.0.0.1; 0 picks a free one (the other nodes always take free ports).</summary>
    public int Port { get; init; }

    /// <summary>Run each node's HTTP API (§11) on a free port of its own.</summary>
    public bool Http { get; init; } = true;

    /// <summary>
    /// The clock for leases, elections and expiry (a <see cref="Testing.TestScheduler"/> puts the cluster on virtual
    /// time); null is the reactor's clock.
    /// </summary>
    public IScheduler? Clock { get; init; }

    /// <summary>
    /// Reproduce the 1.9.0 server's bugs of §12: expiries never fire, lists with a prefix stop after 1000 keys, a
    /// count over 1000 or more keys never answers without a limit and answers the limit above 1000, reading an
    /// internal key crashes the node. False (the default) behaves as the documentation intends.
    /// </summary>
    public bool Quirks190 { get; init; }

    /// <summary>
    /// Start with <see cref="InitialMaster"/> holding the lease; false starts as a real cluster does, with no master
    /// until the first election after <see cref="ElectionDelay"/> (replicated mode; single mode is always master).
    /// </summary>
    public bool MasterAtStart { get; init; } = true;

    /// <summary>The node that holds the lease at start (replicated mode); it has applied its first round already.</summary>
    public int InitialMaster { get; init; }

    /// <summary>
    /// From a master's loss (killed, cut off, or left without a majority) until a new master holds the lease (the real
    /// cluster: about 7.7 s; small here so tests and examples need not wait).
    /// </summary>
    public TimeSpan ElectionDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// From a master's loss until its lease ends: the nodes keep naming it until then, and a master cut off from the
    /// majority answers its queued writes <c>n</c> then (the real cluster: about 5.7 s). At most <see cref="ElectionDelay"/>.
    /// </summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromMilliseconds(750);

    /// <summary>
    /// How long a node that missed rounds (restarted or healed) spends catching up; meanwhile it rejects every request
    /// but get-master, dirty reads included (§8.1). Zero catches up at once.
    /// </summary>
    public TimeSpan CatchUpDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long a new master's first (empty) round takes; until it is applied its safe reads are rejected.</summary>
    public TimeSpan NopRoundDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Connection limits for every listener of this server (connection cap, idle and request timeouts, per-connection
    /// buffer caps); the input cap is raised to the server's own largest request when that is larger.
    /// </summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;
}
