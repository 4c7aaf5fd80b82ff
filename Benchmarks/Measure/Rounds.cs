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

    public static async Task<double[]> MedianRatesAsync(BenchmarkArgs args, params Workload[] workloads)
    {
        foreach (var workload in workloads)
        {
            await RateAsync(workload, TimeSpan.FromSeconds(Math.Min(1, args.Seconds)));
        }

        var rates = workloads.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < args.Rounds; round++)
        {
            for (var i = 0; i < workloads.Length; i++)
            {
                rates[i].Add(await RateAsync(workloads[i], TimeSpan.FromSeconds(args.Seconds)));
            }
        }

        return [.. rates.Select(Median)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<double> RateAsync(Workload workload, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var count = await workload(stop.Token);
        return count / clock.Elapsed.TotalSeconds;
    }
}
