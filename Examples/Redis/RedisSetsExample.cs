using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's set snippets.</summary>
public sealed class RedisSetsExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-sets";

    /// <inheritdoc />
    public override string Description => "sets: SADD, SINTER, SUNION, SDIFF, SISMEMBER";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var (tea, coffee) = (Prefix + "likes:tea", Prefix + "likes:coffee");
        await client.Db.SAdd(tea, "ada", "bob", "cy");
        await client.Db.SAdd(coffee, "bob", "dan");
        var both = await client.Db.SInter(tea, coffee);
        var either = (await client.Db.SUnion(tea, coffee)).Order(StringComparer.Ordinal).ToArray();
        var teaOnly = (await client.Db.SDiff(tea, coffee)).Order(StringComparer.Ordinal).ToArray();
        output.WriteLine($"both: {string.Join(",", both)}; either: {string.Join(",", either)}; tea only: {string.Join(",", teaOnly)}");
        Check.Sequence(["bob"], both, "SINTER");
        Check.Sequence(["ada", "bob", "cy", "dan"], either, "SUNION");
        Check.That(await client.Db.SIsMember(tea, "cy"), "cy likes tea");
    }
}
