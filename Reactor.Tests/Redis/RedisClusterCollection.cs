namespace ReactiveKv.Tests.Redis;

/// <summary>Tests that share one Redis Cluster run one after another (some of them move slots or fail over).</summary>
[CollectionDefinition("redis-cluster")]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
}
