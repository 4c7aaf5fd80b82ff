using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's list snippets: a queue and a blocking pop.</summary>
public sealed class RedisListsExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-lists";

    /// <inheritdoc />
    public override string Description => "lists: RPUSH, LRANGE, LINSERT, LTRIM, BLPOP on a dedicated connection";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = Prefix + "queue";
        await client.Db.RPush(queue, "a", "b", "d");
        await client.Db.LInsert(queue, ListPosition.Before, "d", "c");
        var items = await client.Db.LRange(queue, 0, -1);
        output.WriteLine($"LRANGE queue -> {string.Join(",", items)}");
        await client.Db.LTrim(queue, 1, -1);
        var popped = await client.BLPopAsync([queue], TimeSpan.FromSeconds(1), cancellationToken);
        output.WriteLine($"BLPOP queue -> {popped?.Value}");
        Check.Sequence(["a", "b", "c", "d"], items, "LRANGE");
        Check.Equal("b", popped?.Value, "BLPOP");
    }
}
