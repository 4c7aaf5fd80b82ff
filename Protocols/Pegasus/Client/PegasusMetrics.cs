using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReactiveKv.Pegasus;

/// <summary>Counters on meter <c>ReactiveKv.Pegasus</c>, tagged by table and operation.</summary>
internal static class PegasusMetrics
{
    public const string MeterName = "ReactiveKv.Pegasus";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Operations finished, tagged table, operation and outcome (ok, error, timeout).</summary>
    public static readonly Counter<long> Operations = Meter.CreateCounter<long>("pegasus.operations");

    /// <summary>Operation latency in milliseconds, retries included.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("pegasus.operation.duration", "ms");

    /// <summary>Retries after routing errors, timeouts or busy replicas.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("pegasus.retries");

    /// <summary>Backup requests sent to secondaries.</summary>
    public static readonly Counter<long> BackupRequests = Meter.CreateCounter<long>("pegasus.backup_requests");

    public static void Record(string table, string operation, string outcome, long startedAt)
    {
        var tags = new TagList { { "table", table }, { "operation", operation } };
        Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, tags);
        tags.Add("outcome", outcome);
        Operations.Add(1, tags);
    }
}
