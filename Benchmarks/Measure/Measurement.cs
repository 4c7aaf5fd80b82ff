namespace ReactiveKv.Benchmarks.Measure;

/// <summary>One workload's outcome over the measured rounds of a case.</summary>
/// <param name="Rate">Median operations per second.</param>
/// <param name="AllocatedPerOp">
/// Median bytes allocated per operation, process-wide (<see cref="GC.GetTotalAllocatedBytes(bool)"/>): the loops, the
/// socket engine and the thread pool allocate on threads other than the caller's, so a per-thread count would miss them.
/// </param>
/// <param name="RoundRates">Every round's rate, in order, to show how stable the median is.</param>
public sealed record Measurement(double Rate, double AllocatedPerOp, IReadOnlyList<double> RoundRates)
{
    /// <summary>The spread of the rounds as a fraction of the median: (max − min) / median.</summary>
    public double Spread => Rate == 0 ? 0 : (RoundRates.Max() - RoundRates.Min()) / Rate;
}
