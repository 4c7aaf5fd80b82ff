namespace ReactiveKv.Tests.Reactors;

/// <summary>Serializes the tests that swap DotNetty's process-wide allocator and leak detector.</summary>
[CollectionDefinition(nameof(DotNettyGlobalsCollection), DisableParallelization = true)]
public sealed class DotNettyGlobalsCollection
{
}
