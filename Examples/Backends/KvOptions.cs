namespace ReactiveKv.Examples.Backends;

/// <summary>What <c>kv</c> passes to a backend.</summary>
/// <param name="Timeout">Deadline for the whole operation, connecting included, on the reactor clock.</param>
public sealed record KvOptions(TimeSpan Timeout)
{
    /// <summary>Where streaming verbs (subscribe) print as results arrive.</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;
}
