using System.Diagnostics;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// Runs competing workloads in alternating rounds (ABAB…) so machine drift hits each equally, after a warm-up, and
/// reports each one's median rate.
/// </summary>
public static class Rounds
{
    /// <summary>A workload: runs until the token fires and returns how many operations it completed.</summary>
    public delegate Task<long> Workload(CancellationToken stop);

    /// <summary>The median rate of each workload, in the order given.</summary>
    public static async Task<double[]> MedianRatesAsync(BenchmarkArgs args, params Workload[] workloads) =>
        [.. (await MeasureAsync(args, workloads)).Select(m => m.Rate)];

    /// <summary>Warms each workload up, then runs <see cref="BenchmarkArgs.Rounds"/> alternating rounds of each.</summary>
    public static async Task<Measurement[]> MeasureAsync(BenchmarkArgs args, params Workload[] workloads)
    {
        // Long enough for tiered compilation to reach the optimized code and for the pools to fill.
        var warmUp = TimeSpan.FromSeconds(Math.Min(1, args.Seconds));
        var round1 = TimeSpan.FromSeconds(args.Seconds) * workloads.Length;
        args.Progress.Step("warm-up", 0, args.Rounds, (warmUp * workloads.Length) + (round1 * args.Rounds));
        foreach (var workload in workloads)
        {
            await RunRoundAsync(workload, warmUp);
        }

        var rounds = workloads.Select(_ => new List<Round>()).ToArray();
        for (var round = 0; round < args.Rounds; round++)
        {
            args.Progress.Step("round", round + 1, args.Rounds, round1 * (args.Rounds - round));
            for (var i = 0; i < workloads.Length; i++)
            {
                rounds[i].Add(await RunRoundAsync(workloads[i], TimeSpan.FromSeconds(args.Seconds)));
            }
        }

        return [.. rounds.Select(Summarize)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Measurement Summarize(List<Round> rounds) =>
        new(Median(rounds.Select(r => r.Rate)), Median(rounds.Select(r => r.AllocatedPerOp)), [.. rounds.Select(r => r.Rate)]);

    private static async Task<Round> RunRoundAsync(Workload workload, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var count = await workload(stop.Token);
        var elapsed = clock.Elapsed.TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return new Round(count / elapsed, allocated / (double)Math.Max(1, count));
    }

    private readonly record struct Round(double Rate, double AllocatedPerOp);
}
