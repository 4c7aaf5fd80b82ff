namespace ReactiveKv.Keyspace;

/// <summary>One node's place in the cluster model (§14): its state, whether it runs and hears the others, its role.</summary>
internal sealed class ClusterNode(int id)
{
    public int Id { get; } = id;

    public NodeState State { get; set; } = new();

    /// <summary>False while killed: no listener, no connections.</summary>
    public bool Alive { get; set; } = true;

    /// <summary>Cut off from the other nodes (clients still reach it).</summary>
    public bool Isolated { get; set; }

    /// <summary>Holds the lease, as far as it knows.</summary>
    public bool IsMaster { get; set; }

    /// <summary>A master whose first (empty) round is applied; only then does it serve safe reads.</summary>
    public bool Safe { get; set; }

    /// <summary>What it answers to get-master: a node id, or -1 for <c>n</c>.</summary>
    public int ReportedMaster { get; set; } = -1;

    /// <summary>Writes accepted while master and not yet applied, in arrival order.</summary>
    public List<(KeyspaceRequest Write, IReplySink Sink, long DueMs)> Queue { get; } = [];

    public int QueuedBytes { get; set; }

    /// <summary>When it was cut off; it keeps naming <see cref="MasterAtIsolation"/> until that lease would end.</summary>
    public DateTimeOffset IsolatedAt { get; set; }

    public int MasterAtIsolation { get; set; } = -1;

    /// <summary>When it was restarted; it names no master until it could have heard the lease.</summary>
    public DateTimeOffset RestartedAt { get; set; } = DateTimeOffset.MinValue;

    public HashSet<IReplySink> Connections { get; } = [];

    /// <summary>Until then it is downloading the database and rejects everything but get-master.</summary>
    public DateTimeOffset CatchingUpUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The timer that ends its lease while it cannot reach a majority.</summary>
    public IDisposable? LeaseLoss { get; set; }
}
