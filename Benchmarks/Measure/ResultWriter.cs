using System.Globalization;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// The two machine-readable line forms every suite prints: <c>RESULT suite case value unit</c> and <c>RATIO suite
/// case x vs peer</c>, and notes. With a <paramref name="report"/>, every line and figure is also kept for
/// <c>--report DIR</c>; the printed lines are the same either way (scripts and notes grep them).
/// </summary>
public sealed class ResultWriter(TextWriter output, BenchmarkReport? report = null)
{
    public void Result(string suite, string name, double value, string unit)
    {
        Print(string.Create(CultureInfo.InvariantCulture, $"RESULT {suite} {name} {value:0.##} {unit}"));
        report?.Other(new ReportEntry(name, "", value, unit, []));
    }

    /// <summary>
    /// The same RESULT line as <see cref="Result(string, string, double, string)"/> for <paramref name="measured"/>'s
    /// median, and for the report <paramref name="who"/>'s figure on <paramref name="caseName"/> with every round
    /// (the run-to-run spread the table and the chart show).
    /// </summary>
    public void Result(string suite, string name, Measurement measured, string unit, string caseName, string who)
    {
        Print(string.Create(CultureInfo.InvariantCulture, $"RESULT {suite} {name} {measured.Rate:0.##} {unit}"));
        report?.Measured(new ReportEntry(caseName, who, measured.Rate, unit, measured.RoundRates));
    }

    public void Ratio(string suite, string name, double ours, double theirs, string peer)
    {
        Print(string.Create(CultureInfo.InvariantCulture, $"RATIO {suite} {name} {ours / theirs:0.00} vs {peer}"));
        report?.Ratio(new ReportRatio(name, ours / theirs, peer));
    }

    /// <summary>Human-readable context; never starts with RESULT or RATIO.</summary>
    public void Note(string text) => Print("# " + text);

    private void Print(string line)
    {
        output.WriteLine(line);
        report?.Line(line);
    }
}
