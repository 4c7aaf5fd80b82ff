using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's pipeline: a non-transactional batch, then the same as a MULTI/EXEC transaction.</summary>
public sealed class RedisPipelineExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-pipeline";

    /// <inheritdoc />
    public override string Description => "pipeline: a batch written in one go, and a MULTI/EXEC transaction";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var batch = client.Batch();
        var set = batch.Set(Prefix + "foo", "bar");
        var get = batch.Get(Prefix + "foo");
        var incr = batch.Incr(Prefix + "n");
        await batch.Execute();
        output.WriteLine($"batch: SET -> {await set}, GET -> {await get}, INCR -> {await incr}");

        var tx = client.Multi();
        var push = tx.RPush(Prefix + "log", "one", "two");
        var range = tx.LRange(Prefix + "log", 0, -1);
        var committed = await tx.Execute();
        output.WriteLine($"transaction committed: {committed}; RPUSH -> {await push}; LRANGE -> {string.Join(",", await range)}");
        Check.Equal("bar", await get, "GET in batch");
        Check.That(committed, "transaction committed");
        Check.Sequence(["one", "two"], await range, "LRANGE in transaction");
    }
}
