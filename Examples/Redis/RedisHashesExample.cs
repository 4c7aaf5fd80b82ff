using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's hash snippets.</summary>
public sealed class RedisHashesExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-hashes";

    /// <inheritdoc />
    public override string Description => "hashes: HSET, HGETALL, HINCRBY, HINCRBYFLOAT, HDEL";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var user = Prefix + "user:1";
        await client.Db.HSet(user, new KeyValuePair<RedisValue, RedisValue>("name", "Ada"), new("visits", 1), new("score", 1.5));
        await client.Db.HIncrBy(user, "visits", 2);
        await client.Db.HIncrByFloat(user, "score", 0.25);
        await client.Db.HDel(user, "missing");
        var all = await client.Db.HGetAll(user);
        foreach (var (field, value) in all.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{field} = {value}");
        }

        Check.Equal("3", all["visits"], "visits");
        Check.Equal("1.75", all["score"], "score");
    }
}
