namespace ReactiveKv.Examples.Backends;

/// <summary>What <c>serve</c> passes to a backend.</summary>
/// <param name="Port">The port to listen on; null for the backend's default, 0 for any free port.</param>
public sealed record ServeOptions(int? Port)
{
    /// <summary>Partitions per table, for backends that have them (Pegasus); null for the backend's default.</summary>
    public int? Partitions { get; init; }

    /// <summary>Databases to open, in order (Kyoto Tycoon: <c>*</c>, <c>%</c>, names); null for the backend's default.</summary>
    public IReadOnlyList<string>? Databases { get; init; }

    /// <summary>Replica servers, for backends that have them (Pegasus); null for the backend's default.</summary>
    public int? Replicas { get; init; }

    /// <summary>Port of the memcached plugin (Kyoto Tycoon); null runs none, 0 picks a free one.</summary>
    public int? MemcachedPort { get; init; }

    /// <summary>Answer meta queries in the format of servers before 2.5, without the host:port fields (Pegasus).</summary>
    public bool LegacyMeta { get; init; }

    /// <summary>The plugin's <c>opts</c> letters (Kyoto Tycoon: <c>f</c> flags, <c>q</c> queue, <c>r</c> read-only); null means <c>f</c>.</summary>
    public string? MemcachedOpts { get; init; }

    /// <summary>Nodes in the cluster (Keyspace: 1 single mode, more replicated); null for the backend's default.</summary>
    public int? Nodes { get; init; }

    /// <summary>Reproduce the 1.9.0 server's bugs (Keyspace).</summary>
    public bool Quirks190 { get; init; }
}
