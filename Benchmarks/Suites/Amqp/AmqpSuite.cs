using System.Diagnostics;
using ReactiveKv.Amqp.Testing;
using ReactiveKv.Benchmarks.Measure;

namespace ReactiveKv.Benchmarks.Suites.Amqp;

/// <summary>
/// AMQP 0-9-1 against RabbitMQ: this project's client and RabbitMQ.Client measured in the same run, in alternating
/// rounds, on publish without confirms (16-byte and 1 KiB bodies), publish with confirms (a window of 1000 in flight),
/// consume with an ack per message and with a multiple-ack every 100, and RPC round trips over direct reply-to (one
/// caller awaiting each reply; the target's own second connection answers). Every case also reports the bytes
/// allocated per message (process-wide, over the timed part of each round).
/// </summary>
/// <remarks>
/// Starts a throwaway broker (<see cref="RabbitMqBroker"/>, about 5 s to boot) unless <c>--server amqp://…</c> is given.
/// Each round gets a fresh queue, declared (and for the consume cases filled with confirmed publishes) by the suite's
/// own connection before the clock starts and deleted after it stops. The publish cases' queues keep at most
/// <see cref="PublishQueueLimit"/> messages (drop-head), so the broker's memory stays bounded. A consume round times
/// the consumption of the whole pre-filled queue. A target whose client is not written yet is skipped with one note.
/// </remarks>
public sealed class AmqpSuite : IBenchmarkSuite
{
    private const string Suite = "amqp";
    private const int SmallBody = 16;
    private const int LargeBody = 1024;
    private const int ConfirmWindow = 1000;
    private const ushort Prefetch = 1000;
    private const int AckEvery = 100;
    private const int PublishQueueLimit = 10_000;

    /// <summary>Messages per second of round length in a consume case's queue (about half a round to one round at the peer's rate).</summary>
    private const int ConsumeMessagesPerSecond = 50_000;

    public string Name => Suite;

    public string Description => $"publish/confirm/consume/RPC msgs/s vs RabbitMQ.Client {RabbitMqClientTarget.Version} (starts RabbitMQ unless --server amqp://...)";

    public IReadOnlyList<string> Cases { get; } = ["publish-16b", "publish-1k", "publish-confirmed", "consume-ack", "consume-multi-ack", "rpc"];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        await using var broker = args.Server is null ? await RabbitMqBroker.StartAsync() : null;
        var url = broker?.Url ?? args.Server!;
        var where = broker is null
            ? $"broker at {url}"
            : $"RabbitMQ {(await broker.RunCtlAsync("version")).Trim()} started on 127.0.0.1:{broker.Port} (booted in {broker.BootTime.TotalSeconds:0.0} s)";
        var consumeCount = Math.Clamp((long)Math.Round(args.Seconds * ConsumeMessagesPerSecond / AckEvery) * AckEvery, 5_000, 2_000_000);
        output.Note($"{where}; peer RabbitMQ.Client {RabbitMqClientTarget.Version}; {args.Rounds} rounds of {args.Seconds} s per case, medians");
        output.Note($"confirm window {ConfirmWindow}; consume: {consumeCount} messages of {SmallBody} B per round, prefetch {Prefetch}, multiple-ack every {AckEvery}; alloc = process-wide bytes per message");
        output.Note("cpu = this process's CPU time per message (the client's cost); broker-cpu = the broker's CPU use meanwhile, in cores of the machine's " + Environment.ProcessorCount);
        var brokerPid = broker?.NodeProcessId;

        await using var admin = await AmqpBenchAdmin.ConnectAsync(url);
        var targets = new List<IAmqpBenchTarget>();
        try
        {
            foreach (var target in new IAmqpBenchTarget[] { new ReactiveKvAmqpTarget(args.ReactorOptions()), new RabbitMqClientTarget() })
            {
                try
                {
                    await target.SetupAsync(url, CancellationToken.None);
                    targets.Add(target);
                }
                catch (NotImplementedException e)
                {
                    output.Note($"{target.Name}: skipped, not written yet ({e.Message})");
                    await target.DisposeAsync();
                }
            }

            await CaseAsync(output, args, brokerPid, targets, "publish-16b", "msgs/s", "B/msg", async (target, queue) =>
            {
                await admin.DeclareAsync(queue, PublishQueueLimit);
                return new Prepared(stop => target.PublishAsync(stop, queue, SmallBody), () => admin.DeleteAsync(queue), RunsToCompletion: false);
            }, admin);
            await CaseAsync(output, args, brokerPid, targets, "publish-1k", "msgs/s", "B/msg", async (target, queue) =>
            {
                await admin.DeclareAsync(queue, PublishQueueLimit);
                return new Prepared(stop => target.PublishAsync(stop, queue, LargeBody), () => admin.DeleteAsync(queue), RunsToCompletion: false);
            }, admin);
            await CaseAsync(output, args, brokerPid, targets, "publish-confirmed", "msgs/s", "B/msg", async (target, queue) =>
            {
                await admin.DeclareAsync(queue, PublishQueueLimit);
                return new Prepared(stop => target.PublishConfirmedAsync(stop, queue, SmallBody, ConfirmWindow), () => admin.DeleteAsync(queue), RunsToCompletion: false);
            }, admin);
            foreach (var (name, multiple) in new[] { ("consume-ack", false), ("consume-multi-ack", true) })
            {
                await CaseAsync(output, args, brokerPid, targets, name, "msgs/s", "B/msg", async (target, queue) =>
                {
                    await admin.DeclareAsync(queue);
                    await admin.FillAsync(queue, consumeCount, SmallBody);
                    return new Prepared(stop => target.ConsumeAsync(stop, queue, consumeCount, multiple, Prefetch, AckEvery), () => admin.DeleteAsync(queue), RunsToCompletion: true);
                }, admin);
            }

            // One request queue per target for the whole case; its server side starts once, before the warm-up.
            var rpcQueues = new Dictionary<IAmqpBenchTarget, string>();
            try
            {
                await CaseAsync(output, args, brokerPid, targets, "rpc", "calls/s", "B/call", async (target, _) =>
                {
                    if (!rpcQueues.TryGetValue(target, out var queue))
                    {
                        queue = await admin.DeclareAsync(admin.QueueName($"rpc.{target.Name}"));
                        rpcQueues[target] = queue;
                        await target.PrepareRpcAsync(queue, CancellationToken.None);
                    }

                    return new Prepared(target.RpcAsync, () => Task.CompletedTask, RunsToCompletion: false);
                }, admin);
            }
            finally
            {
                foreach (var queue in rpcQueues.Values)
                {
                    await AmqpBenchAdmin.QuietlyAsync(() => admin.DeleteAsync(queue));
                }
            }
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Warms each target up on the case, then runs <see cref="BenchmarkArgs.Rounds"/> alternating rounds (ours, peer,
    /// ours, …) and prints each target's median rate and allocation, and ours / peer. A target whose workload throws
    /// <see cref="NotImplementedException"/> is left out of the case with one note.
    /// </summary>
    private static async Task CaseAsync(ResultWriter output, BenchmarkArgs args, int? brokerPid, IReadOnlyList<IAmqpBenchTarget> targets, string name, string unit, string allocUnit, Prepare prepare, AmqpBenchAdmin admin)
    {
        if (!args.Includes(name))
        {
            return;
        }

        args.Progress.Case(name);
        var roundTime = TimeSpan.FromSeconds(args.Seconds) * targets.Count;
        args.Progress.Step("warm-up", 0, args.Rounds, (TimeSpan.FromSeconds(Math.Min(1, args.Seconds)) * targets.Count) + (roundTime * args.Rounds));
        var live = new List<IAmqpBenchTarget>();
        foreach (var target in targets)
        {
            try
            {
                await RunRoundAsync(target, prepare, admin.QueueName($"{name}.{target.Name}.warm-up"), TimeSpan.FromSeconds(Math.Min(1, args.Seconds)), args, brokerPid);
                live.Add(target);
            }
            catch (NotImplementedException e)
            {
                output.Note($"{target.Name}-{name}: skipped, not written yet ({e.Message})");
            }
        }

        var rounds = live.Select(_ => new List<Round>()).ToArray();
        for (var round = 0; round < args.Rounds; round++)
        {
            args.Progress.Step("round", round + 1, args.Rounds, roundTime * (args.Rounds - round));
            for (var i = 0; i < live.Count; i++)
            {
                rounds[i].Add(await RunRoundAsync(live[i], prepare, admin.QueueName($"{name}.{live[i].Name}.{round}"), TimeSpan.FromSeconds(args.Seconds), args, brokerPid));
            }
        }

        var measured = new Dictionary<string, Measurement>();
        for (var i = 0; i < live.Count; i++)
        {
            var m = new Measurement(Rounds.Median(rounds[i].Select(r => r.Rate)), Rounds.Median(rounds[i].Select(r => r.AllocatedPerOp)), [.. rounds[i].Select(r => r.Rate)]);
            measured[live[i].Name] = m;
            output.Result(Suite, $"{live[i].Name}-{name}", m, unit, name, live[i].Name);
            output.Result(Suite, $"{live[i].Name}-{name}-alloc", m.AllocatedPerOp, allocUnit);
            output.Result(Suite, $"{live[i].Name}-{name}-cpu", Rounds.Median(rounds[i].Select(r => r.CpuMicrosPerOp)), "us/" + allocUnit[2..]);
            if (brokerPid is not null)
            {
                output.Result(Suite, $"{live[i].Name}-{name}-broker-cpu", Rounds.Median(rounds[i].Select(r => r.BrokerCores)), "cores");
            }
        }

        foreach (var (target, suffix) in new[] { ("ours", ""), ("ours-on-loop", "-on-loop") })
        {
            if (measured.TryGetValue(target, out var ours) && measured.TryGetValue("rabbitmq-client", out var peer))
            {
                output.Ratio(Suite, name + suffix, ours.Rate, peer.Rate, "rabbitmq-client-" + RabbitMqClientTarget.Version);
            }
        }
    }

    /// <summary>Prepares the round (untimed), times its workload and the bytes allocated meanwhile, cleans up.</summary>
    private static async Task<Round> RunRoundAsync(IAmqpBenchTarget target, Prepare prepare, string queue, TimeSpan duration, BenchmarkArgs args, int? brokerPid)
    {
        var prepared = await prepare(target, queue);
        try
        {
            // A run-to-completion round (consume) is timed by its work; the token is only a limit against a stall.
            var limit = prepared.RunsToCompletion ? TimeSpan.FromSeconds(Math.Max(60, 20 * args.Seconds)) : duration;
            using var stop = new CancellationTokenSource(limit);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = ProcessCpu.OfThisProcess();
            var brokerCpu = ProcessCpu.Of(brokerPid);
            var clock = Stopwatch.StartNew();
            long count;
            try
            {
                count = await prepared.Work(stop.Token);
            }
            catch (OperationCanceledException) when (prepared.RunsToCompletion && stop.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{target.Name} did not finish consuming {queue} within {limit.TotalSeconds:0} s.");
            }

            var elapsed = clock.Elapsed.TotalSeconds;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            cpu = ProcessCpu.OfThisProcess() - cpu;
            var brokerCores = ProcessCpu.Of(brokerPid) - brokerCpu is { } used ? used.TotalSeconds / elapsed : 0;
            var ops = (double)Math.Max(1, count);
            return new Round(count / elapsed, allocated / ops, cpu.TotalMicroseconds / ops, brokerCores);
        }
        finally
        {
            await prepared.Cleanup();
        }
    }

    /// <summary>Sets a case up for one target and round (untimed) given a fresh queue name.</summary>
    private delegate Task<Prepared> Prepare(IAmqpBenchTarget target, string queue);

    /// <summary>A round ready to run: the timed work, the cleanup after it, and whether it runs to completion.</summary>
    private sealed record Prepared(Rounds.Workload Work, Func<Task> Cleanup, bool RunsToCompletion);

    private readonly record struct Round(double Rate, double AllocatedPerOp, double CpuMicrosPerOp, double BrokerCores);
}
