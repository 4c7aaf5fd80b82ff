using System.Diagnostics;
using System.Globalization;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Fuzzing;

namespace ReactiveKv.Benchmarks.Suites.Fuzz;

/// <summary>
/// <c>-- fuzz --minutes N [--inputs M] [--only decoder]</c>: every decoder of the catalog for N minutes (or M inputs)
/// each, printing <c>RESULT fuzz &lt;decoder&gt; &lt;inputs&gt; inputs</c> and a <c>FAIL fuzz …</c> line per failure;
/// exits non-zero when any decoder failed. A watchdog ends the run with the input in hand if a decoder stops making
/// progress (a hang inside one call cannot be interrupted otherwise). Then the same inputs over real sockets to every
/// embedded server, which must keep answering valid requests with a bounded heap.
/// </summary>
public sealed class FuzzSuite : IBenchmarkSuite
{
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public string Name => "fuzz";

    /// <inheritdoc />
    public string Description => "mutated and split streams through every decoder (--minutes N per decoder, --inputs M, --only decoder); FAIL lines and exit 1 on any failure";

    /// <inheritdoc />
    public IReadOnlyList<string> Cases { get; } = [.. FuzzCatalog.All.Select(t => t.Name), .. ServerFuzzer.Servers.Select(s => "server-" + s)];

    /// <inheritdoc />
    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        var budget = TimeSpan.FromMinutes(args.Minutes ?? 1);
        var limit = args.Inputs ?? long.MaxValue;
        var seed = args.Seed ?? Environment.TickCount;
        var targets = FuzzCatalog.All.Where(t => args.Only is null || t.Name == args.Only || t.Name.Contains(args.Only, StringComparison.Ordinal)).ToList();
        if (targets.Count == 0 && !ServerFuzzer.Servers.Any(s => ("server-" + s).Contains(args.Only!, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"no decoder or server named '{args.Only}'; decoders: {string.Join(", ", FuzzCatalog.All.Select(t => t.Name))}; servers: {string.Join(", ", ServerFuzzer.Servers.Select(s => "server-" + s))}");
        }

        output.Note($"seed {seed.ToString(CultureInfo.InvariantCulture)}; {budget.TotalMinutes:0.##} min{(args.Inputs is { } n ? $" or {n} inputs" : "")} per decoder; decoders: {string.Join(", ", targets.Select(t => t.Name))}");
        var failed = 0;
        foreach (var target in targets)
        {
            args.Progress.Case(target.Name);
            args.Progress.Step("fuzzing", 0, 0, budget);
            var fuzzer = new DecoderFuzzer(target, seed);
            using var stop = new CancellationTokenSource(budget);
            using var watchdog = Watch(fuzzer, target);
            var started = Stopwatch.GetTimestamp();
            var failures = fuzzer.Run(limit, stop.Token);
            foreach (var failure in failures)
            {
                Console.Out.WriteLine(failure.ToString());
            }

            failed += failures.Count;
            output.Result(Name, target.Name, fuzzer.Inputs, "inputs");
            output.Note($"{target.Name}: {fuzzer.Inputs / Stopwatch.GetElapsedTime(started).TotalSeconds:0} inputs/s, {failures.Count} failures");
        }

        failed += await ServersAsync(args, output, budget, seed);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} inputs failed (seed {seed.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    /// <summary>The same inputs over real sockets to every embedded server (<c>server-kt</c>, <c>server-pegasus</c>, …), at most 20,000 each.</summary>
    private async Task<int> ServersAsync(BenchmarkArgs args, ResultWriter output, TimeSpan budget, int seed)
    {
        var servers = ServerFuzzer.Servers.Where(s => args.Only is null || ("server-" + s).Contains(args.Only, StringComparison.Ordinal)).ToList();
        if (servers.Count == 0)
        {
            return 0;
        }

        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        var failed = 0;
        foreach (var server in servers)
        {
            args.Progress.Case("server-" + server);
            args.Progress.Step("fuzzing over sockets", 0, 0, budget);
            var fuzzer = new ServerFuzzer(seed);
            using var stop = new CancellationTokenSource(budget);
            var started = Stopwatch.GetTimestamp();
            var failures = await fuzzer.RunAsync(reactor, server, Math.Min(args.Inputs ?? long.MaxValue, 20_000), stop: stop.Token);
            foreach (var failure in failures)
            {
                Console.Out.WriteLine(failure.ToString());
            }

            failed += failures.Count;
            output.Result(Name, "server-" + server, fuzzer.Inputs, "inputs");
            output.Note($"server-{server}: {fuzzer.Inputs / Stopwatch.GetElapsedTime(started).TotalSeconds:0} inputs/s over sockets, managed heap {fuzzer.HeapGrowth >> 10} KiB larger after, {failures.Count} failures");
        }

        return failed;
    }

    private static Timer Watch(DecoderFuzzer fuzzer, FuzzTarget target)
    {
        var last = -1L;
        var since = Stopwatch.GetTimestamp();
        return new Timer(_ =>
        {
            var inputs = fuzzer.Inputs;
            if (inputs != last)
            {
                (last, since) = (inputs, Stopwatch.GetTimestamp());
                return;
            }

            if (Stopwatch.GetElapsedTime(since) > HangAfter)
            {
                Console.Out.WriteLine(new FuzzFailure(target.Name, fuzzer.Current, $"no progress for {HangAfter.TotalSeconds:0} s (hang)").ToString());
                Environment.Exit(3);
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }
}
