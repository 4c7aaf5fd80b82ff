using System.Globalization;
using ScottPlot;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// The report's picture of a suite: a group of bars per case, a bar per contender, error bars from the slowest to
/// the fastest round (the run-to-run spread, which says whether a difference between bars means anything).
/// </summary>
public static class ReportChart
{
    private const int Width = 1000;
    private const int Height = 560;

    /// <summary>
    /// Draws <paramref name="measured"/> into a PNG at <paramref name="path"/>. When a case has more than one
    /// contender, each case is normalised to the first contender (ours; the case's first when ours did not run it) so that cases of different units and
    /// magnitudes share one axis and a peer's bar reads as 1 / ratio; a suite of one contender per case is drawn
    /// in the cases' unit.
    /// </summary>
    public static void WritePng(string path, string suite, IReadOnlyList<ReportEntry> measured)
    {
        var cases = measured.Select(e => e.Case).Distinct().ToList();
        var who = measured.Select(e => e.Who).Distinct().ToList();
        var normalised = cases.Any(c => measured.Count(e => e.Case == c) > 1);
        var width = 0.8 / who.Count;
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        var (xs, ys, below, above) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var w = 0; w < who.Count; w++)
        {
            var bars = new List<Bar>();
            for (var c = 0; c < cases.Count; c++)
            {
                var row = measured.Where(e => e.Case == cases[c]).ToList();
                if (row.FirstOrDefault(e => e.Who == who[w]) is not { } entry)
                {
                    continue;
                }

                var reference = row.FirstOrDefault(e => e.Who == who[0]) ?? row[0];
                var scale = normalised && reference.Value > 0 ? 1 / reference.Value : 1;
                var x = c + ((w - ((who.Count - 1) / 2.0)) * width);
                var (value, low, high) = (entry.Value * scale, (entry.Rounds.Count > 0 ? entry.Rounds.Min() : entry.Value) * scale, (entry.Rounds.Count > 0 ? entry.Rounds.Max() : entry.Value) * scale);
                bars.Add(new Bar { Position = x, Value = value, Size = width * 0.95, FillColor = palette.GetColor(w) });
                xs.Add(x);
                ys.Add(value);
                below.Add(value - low);
                above.Add(high - value);
            }

            plot.Add.Bars(bars).LegendText = who[w];
        }

        var errors = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, below, above) { Color = Colors.Black };
        plot.Add.Plottable(errors);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, cases.Count).Select(c => (double)c)], [.. cases]);
        if (cases.Count > 5)
        {
            // Long case names side by side would overlap; slanted to end at their tick, the last one stays in the picture.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 130;
        }

        plot.Axes.Margins(bottom: 0);
        var rounds = measured.Max(e => e.Rounds.Count);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{suite}: medians of {rounds} rounds, error bars min..max of the rounds"));
        plot.YLabel(normalised ? $"relative to {who[0]} (= 1) per case" : string.Join(", ", measured.Select(e => e.Unit).Distinct()));
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Math.Max(Width, 110 * cases.Count * Math.Max(1, who.Count / 2)), Height);
    }
}
