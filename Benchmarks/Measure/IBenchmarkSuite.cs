namespace ReactiveKv.Benchmarks.Measure;

/// <summary>One named benchmark suite (<c>echo</c>, <c>redis</c>, …).</summary>
public interface IBenchmarkSuite
{
    string Name { get; }

    string Description { get; }

    /// <summary>
    /// Every case the suite can run, in the order it runs them: what <c>--only</c> matches (by substring), what
    /// <c>--help</c> and <c>list</c> show, and what the progress display counts.
    /// </summary>
    IReadOnlyList<string> Cases { get; }

    Task RunAsync(BenchmarkArgs args, ResultWriter output);
}
