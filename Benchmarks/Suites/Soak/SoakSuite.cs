using System.Diagnostics;
using System.Globalization;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Testing;

namespace ReactiveKv.Benchmarks.Suites.Soak;

/// <summary>
/// <c>-- soak --minutes N [--only backend]</c>: mixed load (reads, writes, scans, a pub/sub stream for Redis, consumers and
/// RPC for AMQP; see <see cref="SoakTarget"/>) against
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
    public string Description => "mixed load with injected faults for N minutes per backend (--minutes N, --only redis|kt|keyspace|pegasus|amqp); per-minute ops, errors, p50/p99, heap, RSS";

    /// <inheritdoc />
    public IReadOnlyList<string> Cases { get; } = ["redis", "kt", "keyspace"];

    /// <inheritdoc />
    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        var duration = TimeSpan.FromMinutes(args.Minutes ?? 10);
        var failures = new List<string>();
        foreach (var backend in SoakTarget.Backends.Where(b => args.Includes(b)))
        {
            if (backend == "redis" && !RedisServerProcess.IsInstalled)
            {
                output.Note("redis: redis-server is not installed; skipped");
                continue;
            }

            args.Progress.Case(backend);
            failures.AddRange(await SoakAsync(backend, duration, args, output));
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

    private async Task<IReadOnlyList<string>> SoakAsync(string backend, TimeSpan duration, BenchmarkArgs args, ResultWriter output)
    {
        var progress = args.Progress;
        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        await using var target = await SoakTarget.StartAsync(backend, reactor);
        output.Note($"soak {backend}: {Workers} workers, {target.Mix}; a fault every {FaultEvery.TotalSeconds:0} s through {target.Proxies.Count} prox{(target.Proxies.Count == 1 ? "y" : "ies")}");
        var stats = new Stats();
        using var stop = new CancellationTokenSource(duration);
        var faults = InjectFaultsAsync(target, stop.Token);
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
            output.Note($"soak {backend} minute {minute}: {ops} ops, errors {{{string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}"))}}}, p50 {p50:0.###} ms, p99 {p99:0.###} ms, heap {Mib(heap)} MiB, RSS {rss >> 20} MiB");
        }

        await faults;
        var unsettled = (await Task.WhenAll(workers)).Sum();
        target.Each(p => p.Heal());
        output.Result(Name, backend, stats.Total, "ops");
        output.Note($"soak {backend}: {stats.Total} ops in {Stopwatch.GetElapsedTime(started).TotalMinutes:0.#} min, {stats.Errors} errors, {unsettled} unsettled, {target.ConnectionsAccepted} connections through the prox{(target.Proxies.Count == 1 ? "y" : "ies")}");
        var failures = new List<string>();
        if (unsettled > 0)
        {
            failures.Add($"{backend} {unsettled} operations never settled (guard {SettleGuard.TotalSeconds:0} s)");
        }

        if (heapByMinute.Count >= 3 && heapByMinute[^1] > heapByMinute[1] * 1.1)
        {
            failures.Add($"{backend} the heap grew from {Mib(heapByMinute[1])} MiB (minute 2) to {Mib(heapByMinute[^1])} MiB (last minute)");
        }

        return failures;
    }

    // With a tenth: a client-only soak (AMQP, against an external broker) has a heap under 1 MiB, which whole MiB show as 0.
    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task<int> WorkAsync(SoakTarget target, int worker, Stats stats, CancellationToken stop)
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

    private static async Task InjectFaultsAsync(SoakTarget target, CancellationToken stop)
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
                        var budget = random.Next(100, 5000);
                        target.Each(p => p.ResetAfterBytes(budget));
                        break;
                    case 1:
                        target.Each(p => p.BlackHole = true);
                        break;
                    case 2:
                        target.Each(p =>
                        {
                            p.Latency = TimeSpan.FromMilliseconds(50);
                            p.Jitter = TimeSpan.FromMilliseconds(20);
                        });
                        break;
                    case 3:
                        target.Each(p => p.SliceWrites = true);
                        break;
                    default:
                        target.Each(p => p.CutAll());
                        break;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), stop);
                target.Each(p => p.Heal());

                // After a black hole the clients' connections are still open but stuck: a cut makes them reconnect.
                target.Each(p => p.CutAll());
            }
        }
        catch (OperationCanceledException)
        {
            target.Each(p => p.Heal());
        }
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
