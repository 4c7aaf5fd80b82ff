using System.Globalization;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Benchmarks.Suites.Redis;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using StackExchange.Redis;
using KvValue = ReactiveKv.Redis.RedisValue;

namespace ReactiveKv.Benchmarks.Suites.RedisCluster;

/// <summary>
/// Pipelined GET and SET over keys spread across all 16384 slots of a 3-primary Redis Cluster: this library's
/// client made from the cluster URL, StackExchange.Redis in cluster mode and <c>redis-benchmark --cluster</c>, in
/// the same run. A client that fails (before the cluster router, ours gets MOVED from the nodes it does not reach)
/// is reported as FAILED in a note and left out of the results; the others still run.
/// </summary>
public sealed class RedisClusterSuite : IBenchmarkSuite
{
    private const int Window = 1000;
    private const int ToolClients = 50;
    private const int ToolPipeline = 100;
    private const int ProbeCount = 2000;
    private const string Value = "vvvvvvvvvvvvvvvv";

    private static readonly string PeerLabel = "stackexchange-" + RedisSuite.PeerVersion();
    private static readonly string ToolLabel = $"redis-benchmark-cluster-c{ToolClients}-P{ToolPipeline}";

    public string Name => "redis-cluster";

    public string Description => $"pipelined GET/SET over all slots vs StackExchange.Redis {RedisSuite.PeerVersion()} and redis-benchmark --cluster (starts a 3-primary cluster unless --server)";

    public IReadOnlyList<string> Cases { get; } = ["pipelined-get", "pipelined-set", "cached-get"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        if (args.Server is null && !RedisClusterProcess.IsInstalled)
        {
            throw new InvalidOperationException("redis-server and redis-cli must be on the PATH (apt-get install redis-server), or name a cluster node with --server host:port.");
        }

        await using var started = args.Server is null ? await RedisClusterProcess.StartAsync(primaries: 3, replicasPerPrimary: 0) : null;
        var seed = args.Server ?? $"127.0.0.1:{started!.Ports[0].ToString(CultureInfo.InvariantCulture)}";
        var (seedHost, seedPort) = (seed[..seed.LastIndexOf(':')], int.Parse(seed[(seed.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        var url = started?.Url ?? $"redis://{seed}";
        var nodes = started is null ? seed : string.Join(',', started.Ports.Select(port => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));

        var keys = KeysOverAllSlots();
        output.Note($"redis cluster at {nodes}; {keys.Length} keys, one per slot, visited in a shuffled order; peer StackExchange.Redis {RedisSuite.PeerVersion()}; {args.Rounds} rounds of {args.Seconds} s per case, medians");

        // The peer loads the keys: it routes by slot already, so GET measures hits whatever our client can do.
        using var se = await ConnectionMultiplexer.ConnectAsync(nodes);
        var seDb = se.GetDatabase();
        var seKeys = keys.Select(key => (RedisKey)key).ToArray();
        for (var start = 0; start < seKeys.Length; start += Window)
        {
            await Task.WhenAll(seKeys.Skip(start).Take(Window).Select(key => seDb.StringSetAsync(key, Value)));
        }

        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        await using var ours = await ConnectOursAsync(reactor, url, $"redis://{seed}", output);
        var ourKeys = keys.Select(key => (KvValue)key).ToArray();
        var db = ours?.Db;

        var rates = new Dictionary<string, double>();
        var measured = new List<(string Case, string Test, Contender Ours, Contender Peer)>();
        foreach (var (name, test) in new[] { ("pipelined-get", "get"), ("pipelined-set", "set") })
        {
            if (!args.Includes(name))
            {
                continue;
            }

            var ourNext = Cycle(ourKeys);
            var seNext = Cycle(seKeys);
            Contender oursContender = test == "get"
                ? new("ours", db is null ? null : stop => Pipelined.WindowsAsync(stop, Window, () => db.Get(ourNext())),
                    db is null ? null : () => ProbeAsync(ourKeys, async key => await db.Get(key) == Value))
                : new("ours", db is null ? null : stop => Pipelined.WindowsAsync(stop, Window, () => db.Set(ourNext(), Value)),
                    db is null ? null : () => ProbeAsync(ourKeys, async key => await db.Set(key, Value)));
            Contender peer = test == "get"
                ? new("stackexchange", stop => Pipelined.TasksAsync(stop, Window, () => seDb.StringGetAsync(seNext())),
                    () => ProbeAsync(seKeys, async key => await seDb.StringGetAsync(key) == Value))
                : new("stackexchange", stop => Pipelined.TasksAsync(stop, Window, () => seDb.StringSetAsync(seNext(), Value)),
                    () => ProbeAsync(seKeys, async key => await seDb.StringSetAsync(key, Value)));
            await MeasureAsync(output, args, name, [oursContender, peer]);
            measured.Add((name, test, oursContender, peer));
        }

        if (args.Includes("cached-get"))
        {
            args.Progress.Case("cached-get");
            await CachedGetAsync(output, args, reactor, url, ourKeys);
        }

        if (measured.Count == 0)
        {
            return;
        }

        // redis-benchmark runs GET and SET in one process per round, sized to last about as long as our rounds.
        var fastest = measured.Max(m => Math.Max(m.Ours.Rate, m.Peer.Rate));
        var requests = (int)Math.Clamp(fastest * args.Seconds, 20_000, 5_000_000);
        var toolRates = new List<Dictionary<string, double>>();
        try
        {
            for (var round = 0; round < args.Rounds; round++)
            {
                args.Progress.Step("redis-benchmark", round + 1, args.Rounds, TimeSpan.FromSeconds(args.Seconds * measured.Count * (args.Rounds - round)));
                toolRates.Add(await RedisBenchmarkTool.ClusterRequestsPerSecondAsync(seedHost, seedPort, [.. measured.Select(m => m.Test)], ToolClients, ToolPipeline, requests, keyspace: 100_000));
            }
        }
        catch (InvalidOperationException e)
        {
            output.Note($"{ToolLabel} FAILED: {e.Message}");
            toolRates.Clear();
        }

        foreach (var (name, test, oursContender, peer) in measured)
        {
            double? tool = toolRates.Count == 0 ? null : Rounds.Median(toolRates.Select(r => r[test]));
            if (tool is { } toolRate)
            {
                output.Result(Name, $"{ToolLabel}-{test}", new Measurement(toolRate, 0, [.. toolRates.Select(r => r[test])]), "ops/s", name, "redis-benchmark");
            }

            if (oursContender.Failure is not null)
            {
                continue;
            }

            if (tool is { } rate)
            {
                output.Ratio(Name, name, oursContender.Rate, rate, ToolLabel);
            }

            if (peer.Failure is null)
            {
                output.Ratio(Name, name, oursContender.Rate, peer.Rate, PeerLabel);
            }
        }
    }

    private async Task MeasureAsync(ResultWriter output, BenchmarkArgs args, string name, Contender[] contenders)
    {
        args.Progress.Case(name);

        // A client that cannot do the work correctly (wrong node, error replies) is not timed: its rate would
        // count errors as operations.
        foreach (var contender in contenders)
        {
            await contender.ProbeAsync();
        }

        var measured = await Rounds.MeasureAsync(args, [.. contenders.Select(c => (Rounds.Workload)c.RunAsync)]);
        for (var i = 0; i < contenders.Length; i++)
        {
            var contender = contenders[i];
            contender.Rate = measured[i].Rate;
            if (contender.Failure is null)
            {
                output.Result(Name, $"{contender.Who}-{name}", measured[i], "ops/s", name, contender.Who);
            }
            else
            {
                output.Note($"{contender.Who}-{name} FAILED: {contender.Failure}");
            }
        }
    }

    private static async Task<RedisClient?> ConnectOursAsync(Reactor reactor, string url, string seedUrl, ResultWriter output)
    {
        RedisClient client;
        try
        {
            client = RedisClient.Create(reactor, url);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // Until the cluster router, the URL parser takes one host only: measure a plain client on the seed node.
            output.Note($"ours: {url} refused ({e.Message.Split('\n')[0]}); using {seedUrl}, one node, no routing");
            client = RedisClient.Create(reactor, seedUrl);
        }

        try
        {
            await client.ConnectAsync();
            return client;
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            output.Note($"ours FAILED to connect: {e.Message}");
            await client.DisposeAsync();
            return null;
        }
    }

    /// <summary>Issues the first <see cref="ProbeCount"/> keys' commands together; null when all succeed, else what went wrong.</summary>
    private static async Task<string?> ProbeAsync<TKey>(TKey[] keys, Func<TKey, Task<bool>> check)
    {
        var calls = keys.Take(ProbeCount).Select(key => (Key: key, Ok: check(key))).ToArray();
        var failed = 0;
        string? first = null;
        foreach (var (key, ok) in calls)
        {
            string? problem;
            try
            {
                problem = await ok ? null : "unexpected reply";
            }
            catch (Exception e) when (IsClientFailure(e))
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                failed++;
                first ??= $"{key}: {problem}";
            }
        }

        return failed == 0 ? null : $"{failed} of {calls.Length} probe calls failed; first: {first}";
    }

    /// <summary>What a client may throw when the cluster or the client is at fault: a failure to report, not to crash on.</summary>
    private static bool IsClientFailure(Exception e) =>
        e is ReactorException or StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException or IOException;

    /// <summary>One key whose slot is each of the 16384 slots, in a shuffled (but fixed) order.</summary>
    /// <summary>
    /// Client-side caching across the cluster: GETs of keys spread over every slot through a client with
    /// <c>ClientCache</c> on and every key read once (each GET a hit: no network), against the same GETs through the
    /// same kind of client without it, one caller awaiting each (the latency a cache saves), and pipelined in windows
    /// (the throughput it saves). Same rounds; the goal is hits at least 20 times the network GETs.
    /// </summary>
    private async Task CachedGetAsync(ResultWriter output, BenchmarkArgs args, Reactor reactor, string url, KvValue[] keys)
    {
        var options = RedisOptions.Parse(url);
        await using var cached = await RedisClient.ConnectAsync(reactor, options with { ClientCache = new RedisClientCacheOptions { MaxEntries = keys.Length * 2 } });
        await using var network = await RedisClient.ConnectAsync(reactor, options);
        var (cachedDb, networkDb) = (cached.Db, network.Db);
        foreach (var chunk in keys.Chunk(Window))
        {
            // Every key read once: from here on each GET is a hit.
            await Task.WhenAll(chunk.Select(key => cachedDb.Get(key).ToTask()));
        }

        var (cachedNext, sequentialNext, pipelinedNext) = (Cycle(keys), Cycle(keys), Cycle(keys));
        var rates = await Rounds.MedianRatesAsync(args, [
            async stop => { long n = 0; while (!stop.IsCancellationRequested) { await cachedDb.Get(cachedNext()); n++; } return n; },
            async stop => { long n = 0; while (!stop.IsCancellationRequested) { await networkDb.Get(sequentialNext()); n++; } return n; },
            stop => Pipelined.WindowsAsync(stop, Window, () => networkDb.Get(pipelinedNext())),
        ]);
        output.Result(Name, "ours-cached-get", rates[0], "ops/s");
        output.Result(Name, "ours-get", rates[1], "ops/s");
        output.Result(Name, "ours-pipelined-get-uncached", rates[2], "ops/s");
        output.Ratio(Name, "cached-get", rates[0], rates[1], "get");
        output.Ratio(Name, "cached-get", rates[0], rates[2], "pipelined-get");
        output.Note($"client cache: {cached.Cache!.Hits} hits, {cached.Cache.Misses} misses, {cached.Cache.Entries} entries");
    }

    private static string[] KeysOverAllSlots()
    {
        var keys = new string?[HashSlot.Count];
        var missing = HashSlot.Count;
        for (var n = 0; missing > 0; n++)
        {
            var key = $"bench:{n.ToString(CultureInfo.InvariantCulture)}";
            ref var slot = ref keys[HashSlot.Of(key)];
            if (slot is null)
            {
                slot = key;
                missing--;
            }
        }

        var shuffled = keys.Select(key => key!).ToArray();
        new Random(42).Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>The items in turn, forever (the count is a power of two).</summary>
    private static Func<T> Cycle<T>(T[] items)
    {
        var mask = items.Length - 1;
        var next = 0;
        return () => items[next++ & mask];
    }

    /// <summary>One client in a case: its workload, a correctness probe, and what happened.</summary>
    private sealed class Contender(string who, Rounds.Workload? work, Func<Task<string?>>? probe)
    {
        public string Who { get; } = who;

        public string? Failure { get; private set; } = work is null ? "no connection" : null;

        public double Rate { get; set; }

        public async Task ProbeAsync()
        {
            if (Failure is null && probe is not null)
            {
                Failure = await probe();
            }
        }

        /// <summary>The workload, or nothing once it has failed: one broken client must not stop the others' rounds.</summary>
        public async Task<long> RunAsync(CancellationToken stop)
        {
            if (Failure is not null || work is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), CancellationToken.None);
                return 0;
            }

            try
            {
                return await work(stop);
            }
            catch (Exception e) when (IsClientFailure(e))
            {
                Failure = e.Message;
                return 0;
            }
        }
    }
}
