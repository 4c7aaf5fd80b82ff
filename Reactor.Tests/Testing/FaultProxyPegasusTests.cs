using System.Reactive;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.FaultInjection;

/// <summary>
/// The Pegasus client against the embedded <see cref="PegasusServer"/> with a <see cref="FaultProxy"/> in front of
/// every replica. Clients learn replica addresses only from the metas, so the server announces each proxy's address
/// (<see cref="PegasusServer.AnnounceReplica"/>); the metas stay direct, as routing is not what these tests break.
/// </summary>
public class FaultProxyPegasusTests(ITestOutputHelper output)
{
    private const int Replicas = 3;

    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // A call's deadline is its operation timeout; the slack only absorbs a loaded machine's scheduling.
    private static readonly TimeSpan Deadline = OperationTimeout + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task ResetMidFrameUnderAWriteLoad_EveryCallSettlesTyped_AcknowledgedWritesStay()
    {
        await using var fixture = new ReactorFixture();
        await using var cluster = await ProxiedCluster.StartAsync(fixture.Reactor);
        await using var client = PegasusClient.Create(fixture.Reactor, Options(cluster.Server));
        var table = await client.OpenTable().ToTask().Within();
        var accepted = cluster.ConnectionsAccepted;
        var putsBefore = cluster.Server.RequestCount("RPC_RRDB_RRDB_PUT");

        // The Pegasus client retries a write cut off by a reset within its deadline (as the Java client does), so a
        // write may run more than once: the load is of idempotent sets, one key each, whose value names the key.
        // An odd budget, far below one round of put replies per replica: the cut lands inside a reply frame.
        var calls = await FaultLoad.RunAsync("set", 50, k => table.Set(B(k), B("s"), B(k)), () => cluster.Each(p => p.ResetAfterBytes(401)), () => cluster.Each(p => p.Heal()), Deadline);

        var failures = calls.Where(c => !c.Outcome.Success).Select(c => c.Outcome.Error!).ToList();

        // How the resets played out differs from run to run; the log shows which outcomes this run exercised.
        output.WriteLine(FaultLoad.Describe(calls));
        Assert.NotEmpty(failures);
        Assert.All(failures, e => Assert.True(e is PegasusTimeoutException or PegasusException { ErrorName: "ERR_SESSION_RESET" }, e.ToString()));

        // The resets happened (new connections through the proxies), and the client went on after each.
        Assert.True(cluster.ConnectionsAccepted > accepted + Replicas, $"{cluster.ConnectionsAccepted - accepted} connections");
        Assert.True(cluster.Server.RequestCount("RPC_RRDB_RRDB_PUT") - putsBefore > calls.Count, "no put was sent again after a reset");
        Assert.All(calls.Where(c => FaultLoad.InLastRound(c.Key, "set")), c => Assert.True(c.Outcome.Success, c.Outcome.Error?.ToString()));

        foreach (var (key, outcome) in calls)
        {
            var stored = S(await table.Get(B(key), B("s")).ToTask().Within());
            if (outcome.Success)
            {
                Assert.True(stored == key, $"{key} was acknowledged but holds {stored ?? "nothing"}");
            }
            else
            {
                // Every Pegasus failure here may have executed (a timeout says so; a session reset may come after a write was sent).
                Assert.True(stored is null || stored == key, $"{key} holds {stored}");
            }
        }
    }

    [Fact]
    public async Task BlackHole_CallsFailWithTheTypedTimeoutWithinTheirDeadline_AndAfterHealingTheClientIsBack()
    {
        await using var fixture = new ReactorFixture();
        await using var cluster = await ProxiedCluster.StartAsync(fixture.Reactor);
        await using var client = PegasusClient.Create(fixture.Reactor, Options(cluster.Server));
        var table = await client.OpenTable().ToTask().Within();
        await table.Set(B("before"), B("s"), B("v")).ToTask().Within();

        cluster.Each(p => p.BlackHole = true);
        var calls = Enumerable.Range(0, 20).Select(i => table.Incr(B($"hole:{i}"), B("s"), 1)).ToList();
        var outcomes = await Deferred.List(calls).ToTask().WaitAsync(Deadline);
        Assert.All(outcomes, o => Assert.IsType<PegasusTimeoutException>(o.Error));

        // The client may still believe in its connections; cutting them makes it reconnect through the healed proxies.
        cluster.Each(p => p.Heal());
        cluster.Each(p => p.CutAll());
        await RetryUntilConnected(() => table.Set(B("after"), B("s"), B("v")));
        Assert.Equal("v", S(await table.Get(B("after"), B("s")).ToTask().Within()));

        // The black hole forwarded nothing: none of the timed-out increments ran.
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await table.Get(B($"hole:{i}"), B("s")).ToTask().Within());
        }
    }

    [Fact]
    public async Task OneByteSegmentsWithLatency_RepliesAreDecodedCorrectly()
    {
        await using var fixture = new ReactorFixture();
        await using var cluster = await ProxiedCluster.StartAsync(fixture.Reactor);
        cluster.Each(p =>
        {
            p.SliceWrites = true;
            p.Latency = TimeSpan.FromMilliseconds(20);
            p.Jitter = TimeSpan.FromMilliseconds(10);
        });
        await using var client = PegasusClient.Create(fixture.Reactor, Options(cluster.Server) with { OperationTimeout = TimeSpan.FromSeconds(20) });
        var table = await client.OpenTable().ToTask().Within();

        // The metas hand out the proxies while the replicas keep listening where they did.
        Assert.Equal(cluster.Proxies.Select(p => p.Endpoint), cluster.Server.AnnouncedReplicaEndpoints);
        Assert.DoesNotContain(cluster.Proxies.Select(p => p.Endpoint), cluster.Server.ReplicaEndpoints.Contains);

        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26)))));
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await table.Set(B("text"), B("s"), text).ToTask().Within();
        await table.Set(B("binary"), B("s"), binary).ToTask().Within();
        await table.MultiSet(B("multi"), [new(B("a"), B("1")), new(B("b"), binary)]).ToTask().Within();

        var increments = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => table.Incr(B("counter"), B("s"), 1).ToTask())).Within();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), increments.Order());
        Assert.Equal(text, await table.Get(B("text"), B("s")).ToTask().Within());
        Assert.Equal(binary, await table.Get(B("binary"), B("s")).ToTask().Within());
        Assert.Null(await table.Get(B("missing"), B("s")).ToTask().Within());
        var multi = await table.MultiGet(B("multi"), [B("a"), B("b"), B("c")]).ToTask().Within();
        Assert.Equal(["a", "b"], multi.Values.Select(kv => S(kv.Key)));
        Assert.Equal(binary, multi.Values[1].Value);
        Assert.Equal(cluster.BytesDownstream, cluster.WritesDownstream);
        Assert.True(cluster.BytesDownstream > 300 + 256 + 256);
    }

    private static PegasusOptions Options(PegasusServer server) => new()
    {
        MetaServers = server.MetaList.Split(','),
        Table = "temp",
        OperationTimeout = OperationTimeout,
        ConnectTimeout = OperationTimeout,

        // Backing off between attempts keeps a call cut off again and again from spinning on the shared cores.
        RetryPolicy = PegasusRetryPolicy.Exponential,
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };

    // A call racing the cut can still fail with a typed error; the next one goes through a new connection.
    private static async Task RetryUntilConnected(Func<Deferred<Unit>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call().ToTask().Within();
                return;
            }
            catch (Exception e) when (attempt < 20 && e is PegasusTimeoutException or PegasusException { ErrorName: "ERR_SESSION_RESET" })
            {
            }
        }
    }

    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    private static string? S(byte[]? bytes) => bytes is null ? null : Encoding.ASCII.GetString(bytes);

    /// <summary>An embedded server whose metas announce a fault proxy in front of each replica.</summary>
    private sealed class ProxiedCluster : IAsyncDisposable
    {
        private ProxiedCluster(PegasusServer server, IReadOnlyList<FaultProxy> proxies) => (Server, Proxies) = (server, proxies);

        public PegasusServer Server { get; }

        public IReadOnlyList<FaultProxy> Proxies { get; }

        public long ConnectionsAccepted => Proxies.Sum(p => p.ConnectionsAccepted);

        public long BytesDownstream => Proxies.Sum(p => p.BytesDownstream);

        public long WritesDownstream => Proxies.Sum(p => p.WritesDownstream);

        public static async Task<ProxiedCluster> StartAsync(Reactor reactor)
        {
            var server = await PegasusServer.StartAsync(reactor, new PegasusServerOptions { Partitions = 8, Replicas = Replicas });
            var proxies = new List<FaultProxy>();
            for (var i = 0; i < Replicas; i++)
            {
                var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.ReplicaEndpoints[i].Port);
                server.AnnounceReplica(i, proxy.Endpoint);
                proxies.Add(proxy);
            }

            return new ProxiedCluster(server, proxies);
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

            await Server.DisposeAsync();
        }
    }
}
