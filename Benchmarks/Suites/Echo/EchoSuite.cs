using ReactiveKv.Benchmarks.Measure;

namespace ReactiveKv.Benchmarks.Suites.Echo;

/// <summary>Echo round trips per second, reactor against raw sockets, 1 and 50 connections, 16 B and 4 KiB.</summary>
public sealed class EchoSuite : IBenchmarkSuite
{
    public string Name => "echo";

    public string Description => "echo round trips/s: reactor vs Socket async (1/50 connections, 16 B/4 KiB)";

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        output.Note($"{Environment.ProcessorCount} cores, {args.Rounds} rounds of {args.Seconds} s per case, medians");
        foreach (var connections in new[] { 1, 50 })
        {
            foreach (var size in new[] { 16, 4096 })
            {
                var name = $"c{connections}-{(size == 16 ? "16B" : "4KiB")}";
                await using var ours = await ReactorEcho.StartAsync(connections, size);
                await using var theirs = await SocketEcho.StartAsync(connections, size);
                var rates = await Rounds.MedianRatesAsync(args, ours.RunAsync, theirs.RunAsync);
                output.Result("echo", $"reactor-{name}", rates[0], "rt/s");
                output.Result("echo", $"socket-{name}", rates[1], "rt/s");
                output.Ratio("echo", name, rates[0], rates[1], "socket");
                output.Result("echo", $"reactor-{name}-alloc", await AllocatedPerRoundTripAsync(ours), "B/rt");
            }
        }
    }

    private static async Task<double> AllocatedPerRoundTripAsync(ReactorEcho echo)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(0.5));
        var trips = await echo.RunAsync(stop.Token);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Math.Max(1, trips);
    }
}
