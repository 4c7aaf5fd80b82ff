using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Testing;

namespace ReactiveKv.Benchmarks.Suites.Soak;

/// <summary>
/// <c>-- soak --minutes N [--only backend]</c>: mixed load (reads, writes, scans, a pub/sub stream for Redis) against
/// each backend through a <see cref="FaultProxy"/> that injects a fault every few seconds (a mid-frame reset, a black
/// hole, latency, one-byte slices, a cut), printing once a minute the operations done, errors by type, p50/p99
/// latency, managed heap and RSS. Fails (exit 1) when an operation never settles, or when the last minute's heap is
/// more than 10% above the second minute's.
/// </summary>
public sealed class SoakSuite : IBenchmarkSuite
{
    private const int Workers = 16;
    private static readonly TimeSpan FaultEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleGuard = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public string Name => "soak";

    /// <inheritdoc />
    public string Description => "mixed load with injected faults for N minutes per backend (--minutes N, --only redis|kt|keyspace); per-minute ops, errors, p50/p99, heap, RSS";

    /// <inheritdoc />
    public IReadOnlyList<string> Cases { get; } = ["redis", "kt", "keyspace"];

    /// <inheritdoc />
    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        var duration = TimeSpan.FromMinutes(args.Minutes ?? 10);
        var failures = new List<string>();
        foreach (var backend in new[] { "redis", "kt", "keyspace" }.Where(b => args.Includes(b)))
        {
            if (backend == "redis" && !RedisServerProcess.IsInstalled)
            {
                output.Note("redis: redis-server is not installed; skipped");
                continue;
            }

            args.Progress.Case(backend);
            failures.AddRange(await SoakAsync(backend, duration, args.Progress, output));
        }

        if (failures.Count > 0)
        {
            foreach (var failure in failures)
            {
                Console.Out.WriteLine("FAIL soak " + failure);
            }

            throw new InvalidOperationException($"{failures.Count} soak checks failed");
        }
    }

    private async Task<IReadOnlyList<string>> SoakAsync(string backend, TimeSpan duration, RunProgress progress, ResultWriter output)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        await using var target = await Target.StartAsync(backend, reactor);
        var stats = new Stats();
        using var stop = new CancellationTokenSource(duration);
        var faults = InjectFaultsAsync(target.Proxy, stop.Token);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(target, w, stats, stop.Token))).ToList();
        var heapByMinute = new List<long>();
        var started = Stopwatch.GetTimestamp();
        for (var minute = 1; !stop.IsCancellationRequested; minute++)
        {
            progress.Step("minute", minute, (int)Math.Ceiling(duration.TotalMinutes), duration - Stopwatch.GetElapsedTime(started));
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The last, shorter minute is reported too.
            }

            var (ops, errors, p50, p99) = stats.TakeMinute();
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            heapByMinute.Add(heap);
            var rss = Process.GetCurrentProcess().WorkingSet64;
            output.Note($"soak {backend} minute {minute}: {ops} ops, errors {{{string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}"))}}}, p50 {p50:0.###} ms, p99 {p99:0.###} ms, heap {heap >> 20} MiB, RSS {rss >> 20} MiB");
        }

        await faults;
        var unsettled = (await Task.WhenAll(workers)).Sum();
        target.Proxy.Heal();
        output.Result(Name, backend, stats.Total, "ops");
        output.Note($"soak {backend}: {stats.Total} ops in {Stopwatch.GetElapsedTime(started).TotalMinutes:0.#} min, {stats.Errors} errors, {unsettled} unsettled, {target.Proxy.ConnectionsAccepted} connections through the proxy");
        var failures = new List<string>();
        if (unsettled > 0)
        {
            failures.Add($"{backend} {unsettled} operations never settled (guard {SettleGuard.TotalSeconds:0} s)");
        }

        if (heapByMinute.Count >= 3 && heapByMinute[^1] > heapByMinute[1] * 1.1)
        {
            failures.Add($"{backend} the heap grew from {heapByMinute[1] >> 20} MiB (minute 2) to {heapByMinute[^1] >> 20} MiB (last minute)");
        }

        return failures;
    }

    private static async Task<int> WorkAsync(Target target, int worker, Stats stats, CancellationToken stop)
    {
        var random = new Random(worker);
        var unsettled = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var operation = target.Operation(random, worker);
            try
            {
                await operation.WaitAsync(SettleGuard);
                stats.Done(Stopwatch.GetElapsedTime(started), null);
            }
            catch (TimeoutException)
            {
                unsettled++;
            }
            catch (Exception e)
            {
                stats.Done(Stopwatch.GetElapsedTime(started), e.GetType().Name);
            }
        }

        return unsettled;
    }

    private static async Task InjectFaultsAsync(FaultProxy proxy, CancellationToken stop)
    {
        var random = new Random(7);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(FaultEvery, stop);
                switch (random.Next(5))
                {
                    case 0:
                        proxy.ResetAfterBytes(random.Next(100, 5000));
                        break;
                    case 1:
                        proxy.BlackHole = true;
                        break;
                    case 2:
                        proxy.Latency = TimeSpan.FromMilliseconds(50);
                        proxy.Jitter = TimeSpan.FromMilliseconds(20);
                        break;
                    case 3:
                        proxy.SliceWrites = true;
                        break;
                    default:
                        proxy.CutAll();
                        break;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), stop);
                proxy.Heal();

                // After a black hole the clients' connections are still open but stuck: a cut makes them reconnect.
                proxy.CutAll();
            }
        }
        catch (OperationCanceledException)
        {
            proxy.Heal();
        }
    }

    /// <summary>One backend behind a proxy, and what one operation of its mixed load is.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly Func<ValueTask> _dispose;

        private Target(FaultProxy proxy, Func<Random, int, Task> operation, Func<ValueTask> dispose)
        {
            Proxy = proxy;
            Operation = operation;
            _dispose = dispose;
        }

        public FaultProxy Proxy { get; }

        public Func<Random, int, Task> Operation { get; }

        public static async Task<Target> StartAsync(string backend, Reactor reactor)
        {
            switch (backend)
            {
                case "redis":
                {
                    var server = await RedisServerProcess.StartAsync();
                    var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.Port);
                    var client = await RedisClient.ConnectAsync(reactor, $"redis://{proxy.HostAndPort}?timeout=2");
                    long received = 0;
                    var subscription = client.Subscribe("soak:news").Subscribe(_ => Interlocked.Increment(ref received));
                    return new Target(proxy, (random, worker) => (random.Next(100)) switch
                    {
                        < 60 => client.Db.Get(Key(random)).ToTask(),
                        < 90 => client.Db.Set(Key(random), Value(random)).ToTask(),
                        < 95 => client.Publish("soak:news", "n").ToTask(),
                        _ => client.Db.Scan("soak:1*", pageSize: 100).Take(200).Count().ToTask(),
                    }, async () =>
                    {
                        subscription.Dispose();
                        await client.DisposeAsync();
                        await proxy.DisposeAsync();
                        await server.DisposeAsync();
                    });
                }

                case "kt":
                {
                    var server = await KtServer.StartAsync(reactor);
                    var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.Address.Port);
                    var client = await KtClient.ConnectAsync(reactor, KtOptions.Parse($"kt://{proxy.HostAndPort}") with { OperationTimeout = TimeSpan.FromSeconds(2) });
                    return new Target(proxy, (random, worker) => random.Next(100) < 65
                        ? client.Get(Encoding.ASCII.GetBytes(Key(random))).ToTask()
                        : client.Set(Encoding.ASCII.GetBytes(Key(random)), Encoding.ASCII.GetBytes(Value(random))).ToTask(), async () =>
                    {
                        await client.DisposeAsync();
                        await proxy.DisposeAsync();
                        await server.DisposeAsync();
                    });
                }

                default:
                {
                    var server = await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions { Nodes = 1 });
                    var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.Address.Port);
                    var client = await KeyspaceClient.ConnectAsync(reactor, KeyspaceOptions.Parse($"keyspace://{proxy.HostAndPort}") with { OperationTimeout = TimeSpan.FromSeconds(5) });
                    return new Target(proxy, (random, worker) => random.Next(100) < 65
                        ? client.Get(Key(random)).ToTask()
                        : client.Set(Encoding.ASCII.GetBytes(Key(random)), Encoding.ASCII.GetBytes(Value(random))).ToTask(), async () =>
                    {
                        await client.DisposeAsync();
                        await proxy.DisposeAsync();
                        await server.DisposeAsync();
                    });
                }
            }
        }

        public ValueTask DisposeAsync() => _dispose();

        private static string Key(Random random) => "soak:" + random.Next(10_000).ToString(CultureInfo.InvariantCulture);

        private static string Value(Random random) => new('v', random.Next(1, 512));
    }

    /// <summary>Counts and latencies, per minute and in total; thread-safe.</summary>
    private sealed class Stats
    {
        private readonly object _gate = new();
        private List<double> _latencies = [];
        private Dictionary<string, long> _errors = [];
        private long _total;
        private long _errorTotal;

        public long Total => Interlocked.Read(ref _total);

        public long Errors => Interlocked.Read(ref _errorTotal);

        public void Done(TimeSpan latency, string? error)
        {
            Interlocked.Increment(ref _total);
            lock (_gate)
            {
                _latencies.Add(latency.TotalMilliseconds);
                if (error is not null)
                {
                    _errors[error] = _errors.GetValueOrDefault(error) + 1;
                    _errorTotal++;
                }
            }
        }

        public (long Ops, IReadOnlyDictionary<string, long> Errors, double P50, double P99) TakeMinute()
        {
            List<double> latencies;
            Dictionary<string, long> errors;
            lock (_gate)
            {
                (latencies, _latencies) = (_latencies, []);
                (errors, _errors) = (_errors, []);
            }

            latencies.Sort();
            double At(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
            return (latencies.Count, errors, At(0.5), At(0.99));
        }
    }
}
