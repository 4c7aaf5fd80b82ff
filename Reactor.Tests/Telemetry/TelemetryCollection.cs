namespace ReactiveKv.Tests.Telemetry;

/// <summary>
/// Tests that attach listeners to the library's sources and meters run alone: a listener makes every client in the
/// process measure its requests, which other tests (allocation counts) must not see, and the tests that check that
/// nothing is measured without a listener must not see another test's.
/// </summary>
[CollectionDefinition("telemetry", DisableParallelization = true)]
public sealed class TelemetryCollection
{
}
