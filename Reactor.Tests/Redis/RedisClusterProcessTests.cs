using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;

namespace ReactiveKv.Tests.Redis;

/// <summary>The cluster fixture itself: it comes up whole, and its slot migration and failover steps do what they say.</summary>
[Collection("redis-cluster")]
public class RedisClusterProcessTests(RedisClusterFixture fixture)
{
    private RedisClusterProcess Cluster => fixture.Cluster;

    [Fact]
    public async Task ComesUpWithEverySlotCovered()
    {
        Assert.True(RedisClusterProcess.IsInstalled);
        Assert.Equal(6, Cluster.Ports.Count);
        Assert.Equal(6, Cluster.Ports.Distinct().Count());
        Assert.Equal("redis://" + string.Join(',', Cluster.Ports.Select(port => $"127.0.0.1:{port}")), Cluster.Url);
        Assert.Equal($"redis://127.0.0.1:{Cluster.Ports[0]}", Cluster.SeedUrl);
        foreach (var port in Cluster.Ports)
        {
            var info = await Cluster.CliAsync(port, "CLUSTER", "INFO");
            Assert.Contains("cluster_state:ok", info);
            Assert.Contains("cluster_slots_assigned:16384", info);
            Assert.Contains("cluster_known_nodes:6", info);
        }

        var primaries = await Cluster.PrimaryPortsAsync();
        Assert.Equal(3, primaries.Length);
        var replicas = await Task.WhenAll(primaries.Select(Cluster.ReplicaOfAsync));
        Assert.Equal(Cluster.Ports.Order(), primaries.Concat(replicas).Order());
        Assert.True(ClusterSlotMap.FromShards(await fixture.Node.Db.Execute("CLUSTER", "SHARDS")).Covers);
    }

    [Fact]
    public async Task MigratesASlotStepByStep()
    {
        const string tag = "{migrate-me}";
        var slot = HashSlot.Of(tag);
        var map = ClusterSlotMap.FromShards(await fixture.Node.Db.Execute("CLUSTER", "SHARDS"));
        var from = map.PrimaryOf(slot)!.Port;
        var to = map.Primaries.First(node => node.Port != from).Port;
        for (var i = 0; i < 250; i++)
        {
            await Cluster.CliAsync(from, "SET", $"{tag}:{i}", $"v{i}");
        }

        await Cluster.BeginMigrationAsync(slot, from, to);
        // Keys still on the source are served there; a missing one is asked for at the target.
        Assert.Equal("v1", (await Cluster.CliAsync(from, "GET", $"{tag}:1")).Trim());
        Assert.StartsWith($"ASK {slot} 127.0.0.1:{to}", (await Cluster.CliAsync(from, "GET", $"{tag}:missing")).Trim());

        await Cluster.MoveKeysAsync(slot, from, to, batch: 100);
        Assert.Equal("0", (await Cluster.CliAsync(from, "CLUSTER", "COUNTKEYSINSLOT", slot.ToString())).Trim());
        Assert.Equal("250", (await Cluster.CliAsync(to, "CLUSTER", "COUNTKEYSINSLOT", slot.ToString())).Trim());
        Assert.StartsWith($"ASK {slot} 127.0.0.1:{to}", (await Cluster.CliAsync(from, "GET", $"{tag}:1")).Trim());

        await Cluster.FinishMigrationAsync(slot, from, to);
        Assert.StartsWith($"MOVED {slot} 127.0.0.1:{to}", (await Cluster.CliAsync(from, "GET", $"{tag}:1")).Trim());
        Assert.Equal("v249", (await Cluster.CliAsync(to, "GET", $"{tag}:249")).Trim());
        await Cluster.WaitForStateOkAsync();
        Assert.Equal(to, ClusterSlotMap.FromShards(await fixture.Node.Db.Execute("CLUSTER", "SHARDS")).PrimaryOf(slot)!.Port);

        // And back in one call, so the shared cluster keeps its layout.
        await Cluster.MigrateSlotAsync(slot, to, from);
        await Cluster.WaitForStateOkAsync();
        Assert.Equal("v7", (await Cluster.CliAsync(from, "GET", $"{tag}:7")).Trim());
        Assert.Equal(from, ClusterSlotMap.FromShards(await fixture.Node.Db.Execute("CLUSTER", "SHARDS")).PrimaryOf(slot)!.Port);
    }

    [Fact]
    public async Task FailsOverToAReplicaAndBack()
    {
        var primary = (await Cluster.PrimaryPortsAsync())[0];
        var replica = await Cluster.ReplicaOfAsync(primary);

        await Cluster.FailoverAsync(replica);
        Assert.Contains(replica, await Cluster.PrimaryPortsAsync());
        Assert.DoesNotContain(primary, await Cluster.PrimaryPortsAsync());
        Assert.Equal(primary, await Cluster.ReplicaOfAsync(replica));

        await Cluster.FailoverAsync(primary);
        Assert.Contains(primary, await Cluster.PrimaryPortsAsync());
        Assert.Equal(replica, await Cluster.ReplicaOfAsync(primary));
    }

    [Fact]
    public async Task AKilledPrimaryIsReplacedByItsReplica()
    {
        // A cluster of its own: killing a node must not disturb the shared one.
        await using var cluster = await RedisClusterProcess.StartAsync(primaries: 3, replicasPerPrimary: 1);
        var primary = (await cluster.PrimaryPortsAsync())[1];
        var replica = await cluster.ReplicaOfAsync(primary);

        cluster.Kill(primary);
        await cluster.WaitForStateOkAsync();

        var primaries = await cluster.PrimaryPortsAsync();
        Assert.Contains(replica, primaries);
        Assert.DoesNotContain(primary, primaries);
        Assert.Equal(3, primaries.Length);
        Assert.Contains("cluster_state:ok", await cluster.CliAsync(replica, "CLUSTER", "INFO"));
    }
}
