namespace ReactiveKv.Examples.Backends;

/// <summary>What <c>serve</c> passes to a backend.</summary>
/// <param name="Port">The port to listen on; null for the backend's default, 0 for any free port.</param>
public sealed record ServeOptions(int? Port)
{
    /// <summary>Partitions per table, for backends that have them (Pegasus); null for the backend's default.</summary>
    public int? Partitions { get; init; }

    /// <summary>Replica servers, for backends that have them (Pegasus); null for the backend's default.</summary>
    public int? Replicas { get; init; }
}
