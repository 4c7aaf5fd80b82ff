using System.Globalization;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>The two machine-readable line forms every suite prints: <c>RESULT suite case value unit</c> and <c>RATIO suite case x vs peer</c>.</summary>
public sealed class ResultWriter(TextWriter output)
{
    public void Result(string suite, string name, double value, string unit) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {suite} {name} {value:0.##} {unit}"));

    public void Ratio(string suite, string name, double ours, double theirs, string peer) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RATIO {suite} {name} {ours / theirs:0.00} vs {peer}"));

    /// <summary>Human-readable context; never starts with RESULT or RATIO.</summary>
    public void Note(string text) => output.WriteLine("# " + text);
}
