using System.Collections.Concurrent;
using System.Reactive.Linq;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>A cluster of its own, for tests that move slots, fail over and kill primaries while writes go on.</summary>
public sealed class RedisClusterFaultFixture : IAsyncLifetime
{
    public RedisClusterProcess Cluster { get; private set; } = null!;

    public Reactor Reactor { get; } = new(new ReactorOptions { LoopCount = 2 });

    public async Task InitializeAsync()
    {
        Reactor.Start();
        Cluster = await RedisClusterProcess.StartAsync(primaries: 3, replicasPerPrimary: 1);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Reactor.DisposeAsync();
    }
}

/// <summary>
/// The cluster client under load while the cluster changes under it: every command settles with a result or a typed
/// error, and every write it acknowledged is there afterwards.
/// </summary>
public class RedisClusterFaultTests(RedisClusterFaultFixture fixture) : IClassFixture<RedisClusterFaultFixture>
{
    [Fact]
    public async Task LiveResharding_UnderLoad_FailsNoCommand()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.Url);
        await using var load = new WriteLoad(client, "reshard");
        await load.UntilAcknowledged(200);

        // Move the slots of ten keys already written, one by one, with the keys in them, while writes continue.
        var primaries = await fixture.Cluster.PrimaryPortsAsync();
        foreach (var slot in load.AcknowledgedKeys.Take(10).Select(k => HashSlot.Of(k)).Distinct().ToList())
        {
            await client.Cluster!.RefreshAsync();
            var from = RedisClusterClientTests.PortOf(client.Cluster.OwnerEndpoint(slot));
            await fixture.Cluster.MigrateSlotAsync(slot, from, primaries.First(p => p != from));
        }

        await load.UntilAcknowledged(load.Acknowledged + 200);
        var report = await load.StopAsync();
        Assert.Empty(report.Failures);
        await load.VerifyEveryAcknowledgedWriteAsync();
    }

    [Fact]
    public async Task ManualFailover_UnderLoad_EveryCommandSettles_AndNoAcknowledgedWriteIsLost()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.Url);
        await using var load = new WriteLoad(client, "failover");
        await load.UntilAcknowledged(200);

        var (primary, replica) = await PrimaryWithReplicaAsync();
        var promoted = client.ConnectionEvents.FirstAsync(e => e.Kind == ClientConnectionEventKind.PrimaryChanged && e.Server.EndsWith($":{replica}", StringComparison.Ordinal)).ToTask();
        await fixture.Cluster.FailoverAsync(replica);
        await load.UntilAcknowledged(load.Acknowledged + 300);

        // The client's connection events (and its log, id 1007) say which node took over.
        Assert.Contains("slot", (await promoted.Within()).Detail, StringComparison.Ordinal);
        var report = await load.StopAsync();
        Assert.All(report.Failures, e => Assert.True(WriteLoad.IsTyped(e), e.ToString()));
        await load.VerifyEveryAcknowledgedWriteAsync();
        Assert.Contains(client.Cluster!.Map!.Primaries, n => n.Port == replica);
        // The old primary stepped down to serve as its successor's replica.
        await WaitUntil(async () => (await fixture.Cluster.CliAsync(primary, "ROLE")).StartsWith("slave", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KilledPrimary_UnderLoad_EveryCommandSettles_WritesResumeOnTheNewPrimary_AndNoAcknowledgedWriteIsLost()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.Url);
        await using var load = new WriteLoad(client, "kill");
        await load.UntilAcknowledged(200);

        var (primary, replica) = await PrimaryWithReplicaAsync();
        fixture.Cluster.Kill(primary);
        await WaitUntil(async () => (await fixture.Cluster.CliAsync(replica, "ROLE")).StartsWith("master", StringComparison.Ordinal));
        await fixture.Cluster.WaitForStateOkAsync();

        // Writes to every slot succeed again, those of the killed node's slots included.
        await load.UntilAcknowledged(load.Acknowledged + 600);
        var report = await load.StopAsync();
        Assert.All(report.Failures, e => Assert.True(WriteLoad.IsTyped(e), e.ToString()));
        await load.VerifyEveryAcknowledgedWriteAsync();
        Assert.Contains(client.Cluster!.Map!.Primaries, n => n.Port == replica);
    }

    private async Task<(int Primary, int Replica)> PrimaryWithReplicaAsync()
    {
        foreach (var primary in await fixture.Cluster.PrimaryPortsAsync())
        {
            try
            {
                return (primary, await fixture.Cluster.ReplicaOfAsync(primary));
            }
            catch (InvalidOperationException)
            {
                // That shard lost its replica to an earlier test.
            }
        }

        throw new InvalidOperationException("No primary has a replica left.");
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var guard = DateTime.UtcNow + Guard.Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < guard, "timed out");
            await Task.Delay(100);
        }
    }

    /// <summary>Writer loops that each SET their own keys one after another, recording what was acknowledged and what failed.</summary>
    private sealed class WriteLoad : IAsyncDisposable
    {
        private readonly RedisClient _client;
        private readonly ConcurrentDictionary<string, string> _acknowledged = new();
        private readonly ConcurrentQueue<Exception> _failures = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _writers;
        private int _count;

        public WriteLoad(RedisClient client, string name)
        {
            _client = client;
            var prefix = RedisClusterClientTests.Prefix() + name;
            _writers = [.. Enumerable.Range(0, 8).Select(w => Task.Run(() => WriteAsync($"{prefix}:{w}")))];
        }

        public int Acknowledged => Volatile.Read(ref _count);

        public IEnumerable<string> AcknowledgedKeys => _acknowledged.Keys;

        public static bool IsTyped(Exception e) => e is RedisConnectionException or RedisTimeoutException or RedisReplyException;

        public async Task UntilAcknowledged(int count)
        {
            var guard = DateTime.UtcNow + Guard.Timeout;
            while (Acknowledged < count)
            {
                Assert.True(DateTime.UtcNow < guard, $"only {Acknowledged} of {count} writes acknowledged; failures: {string.Join(" | ", _failures.Take(3).Select(f => f.Message))}");
                await Task.Delay(20);
            }
        }

        public async Task<(int Acknowledged, IReadOnlyList<Exception> Failures)> StopAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_writers).Within();
            return (Acknowledged, [.. _failures]);
        }

        public async Task VerifyEveryAcknowledgedWriteAsync()
        {
            foreach (var (key, value) in _acknowledged)
            {
                Assert.Equal(value, await _client.Db.Get(key));
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_writers).WaitAsync(Guard.Timeout).ConfigureAwait(false);
        }

        private async Task WriteAsync(string prefix)
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                // Keys spread over every slot; each writer rewrites its keys with growing values.
                var key = $"{prefix}:{i % 500}";
                var value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    if (await _client.Db.Set(key, value))
                    {
                        _acknowledged[key] = value;
                        Interlocked.Increment(ref _count);
                    }
                }
                catch (Exception e)
                {
                    _failures.Enqueue(e);

                    // A write that may have executed leaves its key's value unknown until it is written again.
                    _acknowledged.TryRemove(key, out _);
                }
            }
        }
    }
}
