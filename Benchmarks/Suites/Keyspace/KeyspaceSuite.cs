using System.Text;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Benchmarks.Suites.Keyspace;

/// <summary>
/// Keyspace set/get with one caller awaiting each call and with many in flight, batches of 100 sets, and dirty reads,
/// against the embedded 3-node cluster (or the nodes given with --server host:port[,host:port…], in nodeID order).
/// Rates count operations (a batch of 100 sets counts 100).
/// </summary>
public sealed class KeyspaceSuite : IBenchmarkSuite
{
    private const int Window = 500;
    private const int Batch = 100;

    public string Name => "keyspace";

    public string Description => "set/get/batch/dirty-get ops/s (embedded 3-node cluster unless --server host:port[,...])";

    public IReadOnlyList<string> Cases { get; } = ["seq-set", "seq-get", "pipelined-set", "pipelined-get", "batch-100", "dirty-get"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        await using var server = args.Server is null ? await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions { Nodes = 3 }) : null;
        var url = server is null ? "keyspace://" + args.Server : server.Url;
        output.Note($"{url} ({(server is null ? "outside cluster" : "embedded 3-node cluster")}); {args.Rounds} rounds of {args.Seconds} s, medians, ops/s");
        await using var client = KeyspaceClient.Create(reactor, KeyspaceOptions.Parse(url) with { OperationTimeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync();
        var key = "bench:key"u8.ToArray();
        var value = new byte[16];
        var keys = Enumerable.Range(0, Batch).Select(i => Encoding.ASCII.GetBytes($"bench:{i:000}")).ToArray();
        await client.Set(key, value);

        var seqSet = await Case(output, args, "seq-set", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.Set(key, value); n++; } return n; });
        var seqGet = await Case(output, args, "seq-get", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.Get(key); n++; } return n; });
        var pipelinedSet = await Case(output, args, "pipelined-set", stop => Pipelined.WindowsAsync(stop, Window, () => client.Set(key, value)));
        var pipelinedGet = await Case(output, args, "pipelined-get", stop => Pipelined.WindowsAsync(stop, Window, () => client.Get(key)));
        await Case(output, args, "batch-100", async stop =>
        {
            long n = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = client.Batch();
                foreach (var k in keys)
                {
                    _ = batch.Set(k, value);
                }

                await batch.Submit();
                n += Batch;
            }

            return n;
        });

        // Dirty reads pinned to a node that is not master, so the figure is a replica's, not the master's.
        var master = await client.GetMaster();
        var replica = (master + 1) % client.Options.Nodes.Count;
        await using var dirtyClient = KeyspaceClient.Create(reactor, client.Options with { DirtyReadNode = replica });
        await dirtyClient.ConnectAsync();
        output.Note($"dirty-get reads from node {replica}; master is node {master}");
        await Case(output, args, "dirty-get", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await dirtyClient.DirtyGet(key); n++; } return n; });

        Ratio(output, "pipelined-vs-seq-set", pipelinedSet, seqSet, "seq-set");
        Ratio(output, "pipelined-vs-seq-get", pipelinedGet, seqGet, "seq-get");
    }

    private static void Ratio(ResultWriter output, string name, double? ours, double? theirs, string peer)
    {
        if (ours is { } o && theirs is { } t)
        {
            output.Ratio("keyspace", name, o, t, peer);
        }
    }

    private static async Task<double?> Case(ResultWriter output, BenchmarkArgs args, string name, Rounds.Workload work)
    {
        if (!args.Includes(name))
        {
            return null;
        }

        args.Progress.Case(name);
        var measured = (await Rounds.MeasureAsync(args, work))[0];
        output.Result("keyspace", name, measured, "ops/s", name, "ours");
        return measured.Rate;
    }
}
