namespace ReactiveKv.Benchmarks.Measure;

/// <summary>One RATIO line: <paramref name="Name"/> ran <paramref name="Ratio"/> times as fast as <paramref name="Peer"/>.</summary>
public sealed record ReportRatio(string Name, double Ratio, string Peer);
