using System.Globalization;
using ReactiveKv.Benchmarks.Measure;

namespace ReactiveKv.Benchmarks.Suites.Echo;

/// <summary>Echo round trips per second, reactor against raw sockets, 1 and 50 connections, 16 B and 4 KiB.</summary>
public sealed class EchoSuite : IBenchmarkSuite
{
    private const string Suite = "echo";

    public string Name => Suite;

    public string Description => "echo round trips/s: epoll reactor, DotNetty reactor, raw DotNetty, raw Socket async (1/50 connections, 16 B/4 KiB)";

    public IReadOnlyList<string> Cases { get; } = ["c1-16B", "c1-4KiB", "c50-16B", "c50-4KiB"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        output.Note(args.Reactor is null
            ? $"{Environment.ProcessorCount} cores, {args.Rounds} rounds of {args.Seconds} s per case after a warm-up; epoll reactor, DotNetty reactor, raw DotNetty and raw sockets alternating; medians"
            : $"{Environment.ProcessorCount} cores, {args.Rounds} rounds of {args.Seconds} s per case after a warm-up; the {args.Reactor} reactor and raw sockets alternating; medians");
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
        if (args.Reactor is not null)
        {
            // One reactor, as the other suites run: the case names carry the reactor.
            await using var ours = await ReactorEcho.StartAsync(connections, size, args.ReactorOptions());
            await using var theirs = await SocketEcho.StartAsync(connections, size);
            var results = await Rounds.MeasureAsync(args, ours.RunAsync, theirs.RunAsync);
            var (reactor, socket) = (results[0], results[1]);
            output.Note($"{name} rounds (rt/s): {args.Reactor} reactor {Describe(reactor)}; socket {Describe(socket)}");
            output.Result(Suite, $"{args.Reactor}-{name}", reactor, "rt/s", name, $"{args.Reactor}-reactor");
            output.Result(Suite, $"socket-{name}", socket, "rt/s", name, "socket");
            output.Ratio(Suite, $"{args.Reactor}-{name}", reactor.Rate, socket.Rate, "socket");
            output.Result(Suite, $"{args.Reactor}-{name}-alloc", reactor.AllocatedPerOp, "B/rt");
            return;
        }

        await using var epoll = await ReactorEcho.StartAsync(connections, size, new ReactorOptions());
        await using var dotnetty = await ReactorEcho.StartAsync(connections, size, args.ReactorOptions() with { Backend = ReactiveKv.DotNetty.ReactorBackends.Parse("dotnetty") });
        await using var raw = await DotNettyEcho.StartAsync(connections, size);
        await using var sockets = await SocketEcho.StartAsync(connections, size);
        var all = await Rounds.MeasureAsync(args, epoll.RunAsync, dotnetty.RunAsync, raw.RunAsync, sockets.RunAsync);
        var (e, d, r, s) = (all[0], all[1], all[2], all[3]);
        output.Note($"{name} rounds (rt/s): reactor {Describe(e)}; dotnetty-reactor {Describe(d)}; raw-dotnetty {Describe(r)}; socket {Describe(s)}");
        output.Result(Suite, $"reactor-{name}", e, "rt/s", name, "reactor");
        output.Result(Suite, $"dotnetty-reactor-{name}", d, "rt/s", name, "dotnetty-reactor");
        output.Result(Suite, $"raw-dotnetty-{name}", r, "rt/s", name, "raw-dotnetty");
        output.Result(Suite, $"socket-{name}", s, "rt/s", name, "socket");
        output.Ratio(Suite, name, e.Rate, s.Rate, "socket");

        // The issue's goals: the DotNetty reactor >= 0.9x raw DotNetty (the adapter costs under 10%), the default >= 1.2x.
        output.Ratio(Suite, $"dotnetty-reactor-{name}", d.Rate, r.Rate, "raw-dotnetty");
        output.Ratio(Suite, $"reactor-{name}", e.Rate, r.Rate, "raw-dotnetty");
        output.Result(Suite, $"reactor-{name}-alloc", e.AllocatedPerOp, "B/rt");
        output.Result(Suite, $"dotnetty-reactor-{name}-alloc", d.AllocatedPerOp, "B/rt");
        output.Result(Suite, $"raw-dotnetty-{name}-alloc", r.AllocatedPerOp, "B/rt");
    }

    private static string Describe(Measurement m) => string.Create(
        CultureInfo.InvariantCulture,
        $"{string.Join(' ', m.RoundRates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} (spread {m.Spread * 100:0}%)");
}
