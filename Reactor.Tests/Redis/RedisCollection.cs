namespace ReactiveKv.Tests.Redis;

/// <summary>Tests that share one redis-server run one after another.</summary>
[CollectionDefinition("redis")]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
}
