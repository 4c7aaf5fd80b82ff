using System.Globalization;
using System.Text;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// What one suite's run printed, kept for <c>--report DIR</c>: the raw lines, the measured figures with their rounds,
/// the ratios and the other figures; written at the end as <c>&lt;suite&gt;-results.txt</c>,
/// <c>&lt;suite&gt;-results.md</c> (a table: case, each contender, ratio, spread) and <c>&lt;suite&gt;.png</c> (a bar
/// chart of each contender per case with min..max error bars). Files are named by suite so that several suites can
/// report into one directory (the README shows them side by side).
/// </summary>
public sealed class BenchmarkReport(string suite)
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<ReportEntry> _measured = [];
    private readonly List<ReportEntry> _others = [];
    private readonly List<ReportRatio> _ratios = [];

    public string Suite { get; } = suite;

    public void Line(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    public void Measured(ReportEntry entry)
    {
        lock (_gate)
        {
            _measured.Add(entry);
        }
    }

    public void Other(ReportEntry entry)
    {
        lock (_gate)
        {
            _others.Add(entry);
        }
    }

    public void Ratio(ReportRatio ratio)
    {
        lock (_gate)
        {
            _ratios.Add(ratio);
        }
    }

    /// <summary>
    /// Writes the three files into <paramref name="directory"/> (created if missing) and returns one line per file
    /// for the user. A chart that cannot be drawn (SkiaSharp's native library missing) does not lose the table:
    /// the line says why instead.
    /// </summary>
    public IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var text = Path.Combine(directory, Suite + "-results.txt");
        lock (_gate)
        {
            File.WriteAllLines(text, _lines);
        }

        written.Add("wrote " + text);
        var markdown = Path.Combine(directory, Suite + "-results.md");
        File.WriteAllText(markdown, Markdown());
        written.Add("wrote " + markdown);
        var chart = Path.Combine(directory, Suite + ".png");
        var measured = Snapshot(_measured);
        if (measured.Count == 0)
        {
            written.Add($"no chart: {Suite} measured no case with rounds");
            return written;
        }

        try
        {
            ReportChart.WritePng(chart, Suite, measured);
            written.Add("wrote " + chart);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            written.Add($"no chart: the charting library could not load its native part here ({e.GetType().Name}: {e.Message})");
        }

        return written;
    }

    /// <summary>
    /// The Markdown report: a table with a row per case and a column per contender (medians, in the case's unit),
    /// the case's RATIO lines and each contender's spread; then the figures and ratios that belong to no measured
    /// case (allocation, CPU, derived ratios) and the notes.
    /// </summary>
    public string Markdown()
    {
        var (measured, others, ratios, lines) = (Snapshot(_measured), Snapshot(_others), Snapshot(_ratios), Snapshot(_lines));
        var cases = measured.Select(e => e.Case).Distinct().ToList();
        var who = measured.Select(e => e.Who).Distinct().ToList();
        var rounds = measured.Select(e => e.Rounds.Count).DefaultIfEmpty(0).Max();
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {Suite}\n\n");
        if (cases.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"Medians of {rounds} rounds; spread = (max − min) / median of a contender's rounds; ratio = ours / peer.\n\n");
            md.Append("| case | unit | ").Append(string.Join(" | ", who)).Append(" | ratio | spread |\n");
            md.Append("|---|---|").Append(string.Concat(who.Select(_ => "--:|"))).Append("---|---|\n");
            var matched = new HashSet<ReportRatio>();
            foreach (var name in cases)
            {
                var row = measured.Where(e => e.Case == name).ToList();
                var cells = who.Select(w => row.FirstOrDefault(e => e.Who == w) is { } e ? Number(e.Value) : "–");
                var own = ratios.Where(r => CaseOf(r.Name, cases) == name).ToList();
                matched.UnionWith(own);
                var ratio = string.Join("; ", own.Select(r => (r.Name == name ? "" : r.Name[(name.Length + 1)..] + " ") + string.Create(CultureInfo.InvariantCulture, $"{r.Ratio:0.00}× vs {r.Peer}")));
                var spread = string.Join("; ", row.Where(e => e.Spread is not null).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Who} {e.Spread * 100:0}%")));
                md.Append(CultureInfo.InvariantCulture, $"| {name} | {string.Join(", ", row.Select(e => e.Unit).Distinct())} | {string.Join(" | ", cells)} | {Dash(ratio)} | {Dash(spread)} |\n");
            }

            ratios = [.. ratios.Where(r => !matched.Contains(r))];
        }

        if (others.Count > 0)
        {
            md.Append("\n## Other results\n\n| result | value | unit |\n|---|--:|---|\n");
            foreach (var e in others)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {e.Case} | {Number(e.Value)} | {e.Unit} |\n");
            }
        }

        if (ratios.Count > 0)
        {
            md.Append("\n## Other ratios\n\n| ratio | × | vs |\n|---|--:|---|\n");
            foreach (var r in ratios)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Ratio:0.00} | {r.Peer} |\n");
            }
        }

        var notes = lines.Where(l => l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        if (notes.Count > 0)
        {
            md.Append("\n## Notes\n\n");
            foreach (var note in notes)
            {
                md.Append("- ").Append(note[2..]).Append('\n');
            }
        }

        return md.ToString();
    }

    /// <summary>The longest case that a RATIO name is (<c>seq-get</c>) or starts (<c>seq-get-ours-on-loop</c>); null for none.</summary>
    private static string? CaseOf(string ratioName, IEnumerable<string> cases) =>
        cases.Where(c => ratioName == c || ratioName.StartsWith(c + "-", StringComparison.Ordinal)).MaxBy(c => c.Length);

    /// <summary>Whole numbers with thousands separators for rates; two decimals for small figures (bytes per op, ratios).</summary>
    private static string Number(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Dash(string cell) => cell.Length == 0 ? "–" : cell;

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }
}
