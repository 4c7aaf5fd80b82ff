using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;

namespace ReactiveKv.Tests.Redis;

/// <summary>
/// One Redis Cluster of 3 primaries with one replica each, and one reactor, shared by the tests of the
/// "redis-cluster" collection. <see cref="Node"/> is a plain client on the first node, for commands any node answers
/// (CLUSTER KEYSLOT, COMMAND GETKEYS, CLUSTER SHARDS).
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public RedisClusterProcess Cluster { get; private set; } = null!;

    public Reactor Reactor { get; } = new(new ReactorOptions { LoopCount = 2 });

    public RedisClient Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Reactor.Start();
        Cluster = await RedisClusterProcess.StartAsync(primaries: 3, replicasPerPrimary: 1);
        Node = await RedisClient.ConnectAsync(Reactor, Cluster.SeedUrl);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Cluster.DisposeAsync();
        await Reactor.DisposeAsync();
    }
}
