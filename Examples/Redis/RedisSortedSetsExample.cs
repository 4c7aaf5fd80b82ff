using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's sorted-set snippets: a leaderboard.</summary>
public sealed class RedisSortedSetsExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-sorted-sets";

    /// <inheritdoc />
    public override string Description => "sorted sets: a leaderboard with ZADD, ZINCRBY, ZREVRANGE WITHSCORES, ZRANGEBYSCORE";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var board = Prefix + "board";
        await client.Db.ZAdd(board, [new("ada", 30), new("bob", 20), new("cy", 10)]);
        await client.Db.ZIncrBy(board, "cy", 25);
        var top = await client.Db.ZRevRangeWithScores(board, 0, 2);
        foreach (var (member, score) in top)
        {
            output.WriteLine($"{member,-4} {score}");
        }

        var middle = await client.Db.ZRangeByScore(board, "15", "32");
        Check.Sequence(["cy", "ada", "bob"], top.Select(e => e.Member), "leaderboard");
        Check.Sequence(["bob", "ada"], middle, "ZRANGEBYSCORE 15 32");
    }
}
