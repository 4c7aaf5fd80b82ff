namespace ReactiveKv.Benchmarks.Measure;

/// <summary>Options shared by the suites.</summary>
/// <param name="Rounds">Measured rounds per case; the median is reported.</param>
/// <param name="Seconds">Length of one round.</param>
/// <param name="Server">An external server (host:port) instead of one the suite starts.</param>
public sealed record BenchmarkArgs(int Rounds = 5, double Seconds = 2, string? Server = null);
