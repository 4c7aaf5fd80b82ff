namespace ReactiveKv.Tests.Fuzzing;

/// <summary>
/// Tests that bound the growth of the process's managed heap run alone: other tests' live objects (a 64 MiB TLS
/// transfer, a million queued writes) would count as theirs.
/// </summary>
[CollectionDefinition(nameof(HeapMeasuringCollection), DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
}
