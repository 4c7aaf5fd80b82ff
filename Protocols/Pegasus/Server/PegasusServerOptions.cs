using System.Reactive.Concurrency;

namespace ReactiveKv.Pegasus;

/// <summary>How an embedded <see cref="PegasusServer"/> is laid out.</summary>
public sealed record PegasusServerOptions
{
    /// <summary>Partitions of the tables created at start (a power of two).</summary>
    public int Partitions { get; init; } = 8;

    /// <summary>Replica servers, each on its own loopback port.</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Meta servers; the non-leaders answer ERR_FORWARD_TO_OTHERS naming the leader.</summary>
    public int Metas { get; init; } = 1;

    /// <summary>Port of the first meta server; 0 picks a free one (the others always take free ports).</summary>
    public int MetaPort { get; init; }

    /// <summary>Tables created at start.</summary>
    public IReadOnlyList<string> Tables { get; init; } = ["temp"];

    /// <summary>Send partition_configuration fields 9..11 as servers since 2.5 do; false answers like older servers.</summary>
    public bool HostPortFields { get; init; } = true;

    /// <summary>
    /// The clock whose <see cref="IScheduler.Now"/> decides TTL expiry and scanner-context idle expiry (a <see cref="Testing.TestScheduler"/> puts the
    /// server on virtual time); null is the reactor's clock: wall time, or the reactor's own virtual clock.
    /// </summary>
    public IScheduler? Clock { get; init; }

    /// <summary>multi_get's cap on records returned and visited (rocksdb_multi_get_max_iteration_count).</summary>
    public int MultiGetMaxIterationCount { get; init; } = 3000;

    /// <summary>multi_get's size cap (rocksdb_multi_get_max_iteration_size).</summary>
    public long MultiGetMaxIterationSize { get; init; } = 30L << 20;

    /// <summary>Largest scan batch, and the visited-record cap per scan reply (rocksdb_max_iteration_count).</summary>
    public int MaxScanBatch { get; init; } = 1000;

    /// <summary>The table env <c>replica.split.validate_partition_hash</c>: scans that ask for it skip records of other partitions.</summary>
    public bool ValidatePartitionHash { get; init; }

    /// <summary>
    /// How long a scanner context may sit unused before the server drops it (a later scan of it gets kNotFound and
    /// the client restarts from its last key). The real server's is 5 minutes. Runs on <see cref="Clock"/>.
    /// </summary>
    public TimeSpan ScanContextIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most scanner contexts held open at once, over all replicas; a get_scanner beyond it is refused with the header
    /// error ERR_BUSY. Each context keeps its request (filter patterns included), so this bounds what idle scanners cost.
    /// </summary>
    public int MaxScanContexts { get; init; } = 1000;

    /// <summary>Largest request frame; bigger ones close the connection.</summary>
    public long MaxFrameBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Connection limits for every listener of this server (connection cap, idle and request timeouts, per-connection
    /// buffer caps); the input cap is raised to the server's own largest request when that is larger.
    /// </summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;
}
