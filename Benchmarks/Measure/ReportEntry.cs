namespace ReactiveKv.Benchmarks.Measure;

/// <summary>One contender's figure on one case, as the report tabulates and charts it.</summary>
/// <param name="Case">The case (<c>pipelined-get</c>), shared by every contender measured on it.</param>
/// <param name="Who">The contender (<c>ours</c>, <c>stackexchange</c>, <c>reactor</c>, <c>socket</c>, …); empty for a figure of no contender.</param>
/// <param name="Value">The median (or the only) value.</param>
/// <param name="Unit">As in the RESULT line (<c>ops/s</c>).</param>
/// <param name="Rounds">Every round's value; empty when the figure has no rounds (no spread to show).</param>
public sealed record ReportEntry(string Case, string Who, double Value, string Unit, IReadOnlyList<double> Rounds)
{
    /// <summary>The rounds' spread as a fraction of the median: (max − min) / median; null without two rounds.</summary>
    public double? Spread => Rounds.Count < 2 || Value == 0 ? null : (Rounds.Max() - Rounds.Min()) / Value;
}
