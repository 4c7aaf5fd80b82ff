namespace ReactiveKv.Benchmarks.Measure;

/// <summary>One named benchmark suite (<c>echo</c>, <c>redis</c>, …).</summary>
public interface IBenchmarkSuite
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(BenchmarkArgs args, ResultWriter output);
}
