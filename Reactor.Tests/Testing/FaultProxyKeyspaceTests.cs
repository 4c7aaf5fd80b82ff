using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Keyspace;
using ReactiveKv.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.FaultInjection;

/// <summary>
/// The Keyspace client against an embedded three-node <see cref="KeyspaceServer"/> cluster with a
/// <see cref="FaultProxy"/> in front of every node: the client is given the proxies' addresses, in node order.
/// </summary>
/// <remarks>
/// The cluster's leases run on a <see cref="TestScheduler"/> that these tests never advance, so the master stays node 0
/// whatever the proxies do to the client's connections: every failure seen is the client's handling of its network.
/// </remarks>
public class FaultProxyKeyspaceTests(ITestOutputHelper output)
{
    private const int Nodes = 3;

    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // A call's deadline is its operation timeout (or master timeout); the slack only absorbs a loaded machine's scheduling.
    private static readonly TimeSpan Deadline = OperationTimeout + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task ResetMidFrameUnderAWriteLoad_EveryCallSettlesTyped_AcknowledgedWritesStay_NothingRunsTwice()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(Nodes);
        await using var proxies = await NodeProxies.StartAsync(cluster);
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, Options(proxies)).Within();

        // ADD on a key of its own per call, each seeded with 0 while healthy (ADD needs a number there): an
        // acknowledged call leaves 1, a call reported as not executed leaves 0, and 2 would mean it was sent twice.
        // An odd budget, far below one round of replies: the cut lands inside a reply frame (or a master probe's).
        var keys = Enumerable.Range(0, FaultLoad.Rounds).SelectMany(round => Enumerable.Range(0, 50).Select(i => $"add:{round}:{i}")).ToList();
        await Deferred.List(keys.Select(k => client.Set(k, "0"))).ToTask().Within();
        var calls = await FaultLoad.RunAsync("add", 50, k => client.Add(k, 1), () => proxies.Each(p => p.ResetAfterBytes(303)), () => proxies.Each(p => p.Heal()), Deadline);

        var failures = calls.Where(c => !c.Outcome.Success).Select(c => c.Outcome.Error!).ToList();
        output.WriteLine(FaultLoad.Describe(calls));
        Assert.NotEmpty(failures);
        Assert.All(failures, e => Assert.True(e is KeyspaceConnectionException or KeyspaceTimeoutException or KeyspaceNoMasterException, e.ToString()));
        Assert.Contains(failures, e => e is KeyspaceConnectionException { MayHaveExecuted: true });

        // Healed: the client is back and the last round went through whole.
        Assert.All(calls.Where(c => FaultLoad.InLastRound(c.Key, "add")), c => Assert.True(c.Outcome.Success, c.Outcome.Error?.ToString()));
        Assert.True(proxies.ConnectionsAccepted > Nodes);
        Assert.All(calls.Where(c => c.Outcome.Success), c => Assert.Equal(1, c.Outcome.Value));

        // A master timeout means the call never reached a master: it counts as not executed.
        var master = cluster.Server.Master ?? throw new InvalidOperationException("The cluster lost its master.");
        FaultLoad.AssertStored(
            calls,
            k => Encoding.ASCII.GetString(cluster.Server.Peek(master, Encoding.ASCII.GetBytes(k)) ?? "(missing)"u8.ToArray()),
            done: "1",
            untouched: "0",
            e => FaultLoad.ReportedNotExecuted(e) || e is KeyspaceNoMasterException);
    }

    [Fact]
    public async Task BlackHole_CallsFailWithTheTypedTimeoutWithinTheirDeadline_AndAfterHealingTheClientIsBack()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(Nodes);
        await using var proxies = await NodeProxies.StartAsync(cluster);
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, Options(proxies)).Within();
        await Deferred.List(Enumerable.Range(0, 20).Select(i => client.Set($"hole:{i}", "0"))).ToTask().Within();

        proxies.Each(p => p.BlackHole = true);
        var calls = Enumerable.Range(0, 20).Select(i => client.Add($"hole:{i}", 1)).ToList();
        var outcomes = await Deferred.List(calls).ToTask().WaitAsync(Deadline);
        Assert.All(outcomes, o => Assert.IsType<KeyspaceTimeoutException>(o.Error));

        // The client may still believe in its connections; cutting them makes it reconnect through the healed proxies.
        proxies.Each(p => p.Heal());
        proxies.Each(p => p.CutAll());
        Assert.Equal(1, await RetryUntilConnected(() => client.Add("hole:after", 1), () => client.Set("hole:after", "0")));
        Assert.True(proxies.ConnectionsAccepted > Nodes);

        // The black hole forwarded nothing: none of the timed-out additions ran.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("0", await client.GetString($"hole:{i}").ToTask().Within());
        }

    }

    [Fact]
    public async Task OneByteSegmentsWithLatency_RepliesAreDecodedCorrectly()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(Nodes);
        await using var proxies = await NodeProxies.StartAsync(cluster);
        proxies.Each(p =>
        {
            p.SliceWrites = true;
            p.Latency = TimeSpan.FromMilliseconds(20);
            p.Jitter = TimeSpan.FromMilliseconds(10);
        });
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, Options(proxies) with { OperationTimeout = TimeSpan.FromSeconds(20), MasterTimeout = TimeSpan.FromSeconds(20) }).Within();

        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26)))));
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await client.Set("text"u8.ToArray(), text).ToTask().Within();
        await client.Set("binary"u8.ToArray(), binary).ToTask().Within();
        await client.Set("counter", "0").ToTask().Within();

        var additions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Add("counter", 1).ToTask())).Within();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), additions.Order());
        Assert.Equal(text, await client.Get("text"u8.ToArray()).ToTask().Within());
        Assert.Equal(binary, await client.Get("binary"u8.ToArray()).ToTask().Within());
        Assert.Equal(binary, await client.DirtyGet("binary"u8.ToArray()).ToTask().Within());
        Assert.Null(await client.Get("missing").ToTask().Within());
        Assert.Equal(["binary", "counter", "text"], (await client.ListKeysAsync().ToListAsync().AsTask().Within()).Select(Encoding.ASCII.GetString));
        Assert.Equal(proxies.BytesDownstream, proxies.WritesDownstream);
        Assert.True(proxies.BytesDownstream > 300 + 256 + 256);

    }

    private static KeyspaceOptions Options(NodeProxies proxies) => new()
    {
        // In node order: the client believes node i is master only when node i says so.
        Nodes = [.. proxies.Proxies.Select(p => ("127.0.0.1", p.Port))],
        OperationTimeout = OperationTimeout,
        MasterTimeout = OperationTimeout,
        ConnectTimeout = OperationTimeout,
        MasterProbeInterval = TimeSpan.FromMilliseconds(50),
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };

    // A write that may have run is undone before trying again, so the result says the client ran the last attempt once.
    private static Task<long> RetryUntilConnected(Func<Deferred<long>> call, Func<Deferred<System.Reactive.Unit>> undo) =>
        FaultLoad.RetryUntilConnected(call, e => e is KeyspaceConnectionException or KeyspaceTimeoutException or KeyspaceNoMasterException, () => undo().ToTask());

    /// <summary>A fault proxy in front of each node's client port, in node order; disposed before the cluster.</summary>
    private sealed class NodeProxies : IAsyncDisposable
    {
        private NodeProxies(IReadOnlyList<FaultProxy> proxies) => Proxies = proxies;

        public IReadOnlyList<FaultProxy> Proxies { get; }

        public long ConnectionsAccepted => Proxies.Sum(p => p.ConnectionsAccepted);

        public long BytesDownstream => Proxies.Sum(p => p.BytesDownstream);

        public long WritesDownstream => Proxies.Sum(p => p.WritesDownstream);

        public static async Task<NodeProxies> StartAsync(KeyspaceTestCluster cluster)
        {
            var proxies = new List<FaultProxy>();
            foreach (var node in cluster.Server.ClientEndpoints)
            {
                proxies.Add(await FaultProxy.StartAsync(cluster.Reactor, "127.0.0.1", node.Port));
            }

            return new NodeProxies(proxies);
        }

        public void Each(Action<FaultProxy> fault)
        {
            foreach (var proxy in Proxies)
            {
                fault(proxy);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var proxy in Proxies)
            {
                await proxy.DisposeAsync();
            }
        }
    }
}
