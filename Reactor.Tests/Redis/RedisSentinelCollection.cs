namespace ReactiveKv.Tests.Redis;

/// <summary>Tests that use sentinel deployments run one after another (a failover is load enough on shared cores).</summary>
[CollectionDefinition("redis-sentinel")]
public sealed class RedisSentinelCollection : ICollectionFixture<RedisSentinelFixture>
{
}
