using System.Globalization;
using ReactiveKv.Benchmarks.Measure;

namespace ReactiveKv.Benchmarks.Suites.Echo;

/// <summary>Echo round trips per second, reactor against raw sockets, 1 and 50 connections, 16 B and 4 KiB.</summary>
public sealed class EchoSuite : IBenchmarkSuite
{
    private const string Suite = "echo";

    public string Name => Suite;

    public string Description => "echo round trips/s: reactor vs Socket async (1/50 connections, 16 B/4 KiB)";

    public IReadOnlyList<string> Cases { get; } = ["c1-16B", "c1-4KiB", "c50-16B", "c50-4KiB"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        output.Note($"{Environment.ProcessorCount} cores, {args.Rounds} rounds of {args.Seconds} s per case after a warm-up, reactor and socket alternating, medians");
        foreach (var connections in new[] { 1, 50 })
        {
            foreach (var size in new[] { 16, 4096 })
            {
                await RunCaseAsync(args, output, connections, size);
            }
        }
    }

    private static async Task RunCaseAsync(BenchmarkArgs args, ResultWriter output, int connections, int size)
    {
        var name = $"c{connections}-{(size == 16 ? "16B" : "4KiB")}";
        if (!args.Includes(name))
        {
            return;
        }

        args.Progress.Case(name);
        await using var ours = await ReactorEcho.StartAsync(connections, size);
        await using var theirs = await SocketEcho.StartAsync(connections, size);
        var results = await Rounds.MeasureAsync(args, ours.RunAsync, theirs.RunAsync);
        var (reactor, socket) = (results[0], results[1]);
        output.Note($"{name} rounds (rt/s): reactor {Describe(reactor)}; socket {Describe(socket)}");
        output.Result(Suite, $"reactor-{name}", reactor, "rt/s", name, "reactor");
        output.Result(Suite, $"socket-{name}", socket, "rt/s", name, "socket");
        output.Ratio(Suite, name, reactor.Rate, socket.Rate, "socket");
        output.Result(Suite, $"reactor-{name}-alloc", reactor.AllocatedPerOp, "B/rt");
    }

    private static string Describe(Measurement m) => string.Create(
        CultureInfo.InvariantCulture,
        $"{string.Join(' ', m.RoundRates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} (spread {m.Spread * 100:0}%)");
}
