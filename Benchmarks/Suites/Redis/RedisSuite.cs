using System.Reflection;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Redis;
using StackExchange.Redis;

namespace ReactiveKv.Benchmarks.Suites.Redis;

/// <summary>
/// GET/SET throughput: one sequential caller, one connection with 1,000 in flight, 50 concurrent callers; against
/// StackExchange.Redis (the version the project references, 3.4.x) and redis-benchmark in the same run.
/// </summary>
public sealed class RedisSuite : IBenchmarkSuite
{
    private const int Window = 1000;
    private const int Callers = 50;

    /// <summary>The peer's label in RATIO lines: <c>stackexchange-</c> and the version actually loaded (e.g. 3.4.35).</summary>
    private static readonly string PeerLabel = "stackexchange-" + PeerVersion();

    public string Name => "redis";

    public string Description => $"GET/SET ops/s vs StackExchange.Redis {PeerVersion()} and redis-benchmark (starts redis-server unless --server)";

    public IReadOnlyList<string> Cases { get; } = ["seq-get", "seq-set", "pipelined-get", "pipelined-set", "c50-get", "cached-get", "pipelined-get-alloc"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        // redis-server as it ships: no keyspace notifications. The process helper turns them on for the tests that
        // watch them; they cost the server a publish per write, which a benchmark of the clients should not carry.
        await using var started = args.Server is null ? await RedisServerProcess.StartAsync(["--notify-keyspace-events", ""]) : null;
        var (host, port) = args.Server is { } server ? (server.Split(':')[0], int.Parse(server.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)) : ("127.0.0.1", started!.Port);
        output.Note($"redis at {host}:{port}; peer StackExchange.Redis {PeerVersion()}; {args.Rounds} rounds of {args.Seconds} s per case, medians");

        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        await using var ours = await RedisClient.ConnectAsync(reactor, new RedisOptions { Host = host, Port = port });
        await using var resumingReactor = new Reactor(args.ReactorOptions(new ReactorOptions { ResumeAwaitersOnLoop = true, Name = "reactor-resume-on-loop" }));
        resumingReactor.Start();
        await using var resuming = await RedisClient.ConnectAsync(resumingReactor, new RedisOptions { Host = host, Port = port });
        using var se = await ConnectionMultiplexer.ConnectAsync($"{host}:{port}");
        var db = ours.Db;
        var resumingDb = resuming.Db;
        var seDb = se.GetDatabase();
        await db.Set("bench:key", new string('v', 16));

        // "ours-on-loop": the same caller as an async method on the connection's loop (Twisted's inlineCallbacks style).
        // "ours-resume-on-loop": a thread-pool caller on a reactor with ResumeAwaitersOnLoop (after its first await it runs on the loop).
        await CaseAsync(output, args, "seq-get", [
            ("ours", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await db.Get("bench:key"); n++; } return n; }),
            ("ours-on-loop", stop => OnLoop(ours, async () => { long n = 0; while (!stop.IsCancellationRequested) { await db.Get("bench:key"); n++; } return n; })),
            ("ours-resume-on-loop", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await resumingDb.Get("bench:key"); n++; } return n; }),
            ("stackexchange", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await seDb.StringGetAsync("bench:key"); n++; } return n; }),
        ], (host, port, "get", 1, 1));
        await CaseAsync(output, args, "seq-set", [
            ("ours", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await db.Set("bench:key", "v"); n++; } return n; }),
            ("ours-on-loop", stop => OnLoop(ours, async () => { long n = 0; while (!stop.IsCancellationRequested) { await db.Set("bench:key", "v"); n++; } return n; })),
            ("ours-resume-on-loop", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await resumingDb.Set("bench:key", "v"); n++; } return n; }),
            ("stackexchange", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await seDb.StringSetAsync("bench:key", "v"); n++; } return n; }),
        ], (host, port, "set", 1, 1));
        await CaseAsync(output, args, "pipelined-get", [
            ("ours", stop => Pipelined.WindowsAsync(stop, Window, () => db.Get("bench:key"))),
            ("stackexchange", stop => Pipelined.TasksAsync(stop, Window, () => seDb.StringGetAsync("bench:key"))),
        ], (host, port, "get", 1, 100));
        await CaseAsync(output, args, "pipelined-set", [
            ("ours", stop => Pipelined.WindowsAsync(stop, Window, () => db.Set("bench:key", "v"))),
            ("stackexchange", stop => Pipelined.TasksAsync(stop, Window, () => seDb.StringSetAsync("bench:key", "v"))),
        ], (host, port, "set", 1, 100));
        await CaseAsync(output, args, "c50-get", [
            ("ours", stop => Concurrent(stop, async () => await db.Get("bench:key"))),
            ("ours-resume-on-loop", stop => Concurrent(stop, async () => await resumingDb.Get("bench:key"))),
            ("stackexchange", stop => Concurrent(stop, async () => await seDb.StringGetAsync("bench:key"))),
        ], (host, port, "get", Callers, 1));

        if (args.Includes("cached-get"))
        {
            args.Progress.Case("cached-get");
            await CachedGetAsync(output, args, reactor, host, port);
        }

        if (args.Includes("pipelined-get-alloc"))
        {
            args.Progress.Case("pipelined-get-alloc");
            output.Result("redis", "ours-pipelined-get-alloc", await AllocatedPerPipelinedGetAsync(db), "B/op");
        }
    }

    private static async Task CaseAsync(ResultWriter output, BenchmarkArgs args, string name, (string Who, Rounds.Workload Work)[] contenders, (string Host, int Port, string Test, int Clients, int Pipeline) tool)
    {
        if (!args.Includes(name))
        {
            return;
        }

        args.Progress.Case(name);
        var measured = await Rounds.MeasureAsync(args, [.. contenders.Select(c => c.Work)]);
        var rates = measured.Select(m => m.Rate).ToArray();
        for (var i = 0; i < contenders.Length; i++)
        {
            output.Result("redis", $"{contenders[i].Who}-{name}", measured[i], "ops/s", name, contenders[i].Who);
        }

        var requests = (int)Math.Clamp(rates[0] * args.Seconds * (tool.Pipeline > 1 ? 2 : 1), 20_000, 5_000_000);
        var toolRates = new List<double>();
        for (var round = 0; round < args.Rounds; round++)
        {
            args.Progress.Step("redis-benchmark", round + 1, args.Rounds, TimeSpan.FromSeconds(args.Seconds * (args.Rounds - round)));
            toolRates.Add(await RedisBenchmarkTool.RequestsPerSecondAsync(tool.Host, tool.Port, tool.Test, tool.Clients, tool.Pipeline, requests));
        }

        var toolRate = Rounds.Median(toolRates);
        var peer = $"redis-benchmark-c{tool.Clients}-P{tool.Pipeline}";
        output.Result("redis", $"{peer}-{tool.Test}", new Measurement(toolRate, 0, toolRates), "ops/s", name, "redis-benchmark");
        var se = Array.FindIndex(contenders, c => c.Who == "stackexchange");
        for (var i = 0; i < contenders.Length; i++)
        {
            if (i == se)
            {
                continue;
            }

            var label = contenders[i].Who == "ours" ? name : $"{name}-{contenders[i].Who}";
            output.Ratio("redis", label, rates[i], toolRate, peer);
            output.Ratio("redis", label, rates[i], rates[se], PeerLabel);
        }
    }

    /// <summary>
    /// Client-side caching: one sequential caller doing GETs of one key through a client with <c>ClientCache</c> on
    /// (every GET after the first is a hit: no network) against the same caller on the same kind of client without it
    /// (every GET a round trip), in the same rounds. The goal is hits at least 20 times as fast.
    /// </summary>
    private static async Task CachedGetAsync(ResultWriter output, BenchmarkArgs args, Reactor reactor, string host, int port)
    {
        await using var cached = await RedisClient.ConnectAsync(reactor, new RedisOptions { Host = host, Port = port, ClientCache = new RedisClientCacheOptions() });
        await using var network = await RedisClient.ConnectAsync(reactor, new RedisOptions { Host = host, Port = port });
        var (cachedDb, networkDb) = (cached.Db, network.Db);
        await cachedDb.Get("bench:key");
        var rates = await Rounds.MedianRatesAsync(args, [
            async stop => { long n = 0; while (!stop.IsCancellationRequested) { await cachedDb.Get("bench:key"); n++; } return n; },
            async stop => { long n = 0; while (!stop.IsCancellationRequested) { await networkDb.Get("bench:key"); n++; } return n; },
        ]);
        output.Result("redis", "ours-cached-get", rates[0], "ops/s");
        output.Result("redis", "ours-get", rates[1], "ops/s");
        output.Ratio("redis", "cached-get", rates[0], rates[1], "get");
        output.Note($"client cache: {cached.Cache!.Hits} hits, {cached.Cache.Misses} misses");
    }

    /// <summary>StackExchange.Redis's package version, from its assembly's informational version without the commit hash.</summary>
    internal static string PeerVersion()
    {
        var assembly = typeof(ConnectionMultiplexer).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString(3) ?? "?";
        return version.Split('+')[0];
    }

    /// <summary>Runs the workload as an async method on the client's loop: its awaits resume there, with no thread hop.</summary>
    private static Task<long> OnLoop(RedisClient client, Func<Task<long>> work) => client.Loop.InvokeAsync(work).Unwrap();

    private static async Task<long> Concurrent(CancellationToken stop, Func<Task> call)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            long n = 0;
            while (!stop.IsCancellationRequested)
            {
                await call();
                n++;
            }

            return n;
        })));
        return counts.Sum();
    }

    private static async Task<double> AllocatedPerPipelinedGetAsync(RedisDatabase db)
    {
        const int total = 100_000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var done = 0; done < total; done += Window)
        {
            Deferred<string?>? last = null;
            for (var i = 0; i < Window; i++)
            {
                last = db.Get("bench:key");
            }

            await last!;
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)total;
    }
}
