using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Benchmarks.Suites.Pegasus;

/// <summary>
/// Pegasus get/set and multi_get throughput (one sequential caller; one client with many in flight) and full-table
/// scan rows/s, against the embedded server (or the cluster given with --meta meta:port[,meta:port], also accepted as --server).
/// </summary>
public sealed class PegasusSuite : IBenchmarkSuite
{
    private const int Window = 1000;
    private const int ScanRows = 50_000;

    public string Name => "pegasus";

    public string Description => "get/set/multi_get ops/s and full-scan rows/s (embedded server unless --meta meta:port[,...])";

    public IReadOnlyList<string> Cases { get; } = ["seq-get", "seq-set", "pipelined-get", "pipelined-set", "pipelined-multiget-10", "fullscan"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        await using var server = args.Server is null ? await PegasusServer.StartAsync(reactor, new PegasusServerOptions { Partitions = 8, Replicas = 3 }) : null;
        var metas = args.Server ?? server!.MetaList;
        output.Note($"pegasus meta {metas} ({(server is null ? "outside cluster" : "embedded server")}); {args.Rounds} rounds of {args.Seconds} s, medians");
        await using var client = PegasusClient.Create(reactor, new PegasusOptions { MetaServers = metas.Split(','), Table = "temp", OperationTimeout = TimeSpan.FromSeconds(10) });
        var table = await client.OpenTable();
        var hashKey = "bench"u8.ToArray();
        var sortKey = "key"u8.ToArray();
        var value = new byte[16];
        await table.Set(hashKey, sortKey, value);
        await table.MultiSet("bench-multi"u8.ToArray(), [.. Enumerable.Range(0, 10).Select(i => new KeyValuePair<byte[], byte[]>(Encoding.ASCII.GetBytes($"s{i}"), value))]);

        await CaseAsync(output, args, "seq-get", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await table.Get(hashKey, sortKey); n++; } return n; });
        await CaseAsync(output, args, "seq-set", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await table.Set(hashKey, sortKey, value); n++; } return n; });
        await CaseAsync(output, args, "pipelined-get", stop => Pipelined.WindowsAsync(stop, Window, () => table.Get(hashKey, sortKey)));
        await CaseAsync(output, args, "pipelined-set", stop => Pipelined.WindowsAsync(stop, Window, () => table.Set(hashKey, sortKey, value)));
        await CaseAsync(output, args, "pipelined-multiget-10", stop => Pipelined.WindowsAsync(stop, Window, () => table.MultiGet("bench-multi"u8.ToArray(), [], [], maxCount: 0, maxSize: 0)));

        if (args.Includes("fullscan"))
        {
            args.Progress.Case("fullscan");
            await FillAsync(table, value);
            var rates = new List<double>();
            for (var round = 0; round < args.Rounds; round++)
            {
                args.Progress.Step("scan", round + 1, args.Rounds, TimeSpan.FromSeconds(args.Rounds - round));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var rows = await table.GetUnorderedScanners(8, new ScanOptions { BatchSize = 1000 }).Merge().Count().ToTask();
                rates.Add(rows / clock.Elapsed.TotalSeconds);
            }

            output.Result("pegasus", "fullscan", new Measurement(Rounds.Median(rates), 0, rates), "rows/s", "fullscan", "ours");
        }
    }

    private static async Task CaseAsync(ResultWriter output, BenchmarkArgs args, string name, Rounds.Workload work)
    {
        if (args.Includes(name))
        {
            args.Progress.Case(name);
            var measured = await Rounds.MeasureAsync(args, work);
            output.Result("pegasus", name, measured[0], "ops/s", name, "ours");
        }
    }

    private static async Task FillAsync(PegasusTable table, byte[] value)
    {
        const int PerHashKey = 100;
        var writes = new List<Deferred<System.Reactive.Unit>>();
        for (var h = 0; h < ScanRows / PerHashKey; h++)
        {
            writes.Add(table.MultiSet(Encoding.ASCII.GetBytes($"scan{h:00000}"), [.. Enumerable.Range(0, PerHashKey).Select(s => new KeyValuePair<byte[], byte[]>(Encoding.ASCII.GetBytes($"s{s:000}"), value))]));
        }

        foreach (var write in writes)
        {
            await write;
        }
    }
}
