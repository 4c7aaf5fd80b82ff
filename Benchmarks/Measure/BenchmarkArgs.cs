namespace ReactiveKv.Benchmarks.Measure;

/// <summary>Options shared by the suites.</summary>
/// <param name="Rounds">Measured rounds per case; the median is reported.</param>
/// <param name="Seconds">Length of one round.</param>
/// <param name="Server">An external server (host:port; for amqp an amqp://user:pass@host:port/vhost URL) instead of one the suite starts.</param>
/// <param name="Only">Run only the cases whose name contains this text (for profiling one case).</param>
/// <param name="Reactor">The reactor to measure on ("epoll" or "dotnetty"); null: the default, and the echo suite measures both.</param>
public sealed record BenchmarkArgs(int Rounds = 5, double Seconds = 2, string? Server = null, string? Only = null, double? Minutes = null, long? Inputs = null, int? Seed = null, string? Reactor = null)
{
    /// <summary>
    /// Where the suites say which case and round they are in. Shared by every round loop (<see cref="Measure.Rounds"/>
    /// and the suites' own loops) so the live display needs no code of its own in any suite; when no display runs
    /// it only keeps a few fields up to date.
    /// </summary>
    public RunProgress Progress { get; init; } = new([]);

    /// <summary><paramref name="options"/> (default ones when null) on the reactor <c>--reactor</c> named.</summary>
    public ReactorOptions ReactorOptions(ReactorOptions? options = null)
    {
        options ??= new ReactorOptions();
        return options with { Backend = ReactiveKv.DotNetty.ReactorBackends.Parse(Reactor) };
    }

    /// <summary>True when the case should run under <see cref="Only"/>.</summary>
    public bool Includes(string caseName) => Only is null || caseName.Contains(Only, StringComparison.Ordinal);
}
