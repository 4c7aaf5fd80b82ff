using System.Globalization;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>The justredis README example: set/get, database objects, and the optimistic-retry counter with WATCH.</summary>
public sealed class JustRedisExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "justredis";

    /// <inheritdoc />
    public override string Description => "justredis README: set/get, database(n), WATCH counter with retries";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        await client.Db.Set(Prefix + "hello", "world");
        output.WriteLine($"hello = {await client.Db.Get(Prefix + "hello")}");

        var db1 = client.Database(1);
        await db1.Set(Prefix + "hello", "other world");
        output.WriteLine($"db 1 hello = {await db1.Get(Prefix + "hello")}");
        await db1.Del(Prefix + "hello");

        var counter = Prefix + "counter";
        await client.Db.Set(counter, 0);
        var increments = Enumerable.Range(0, 10).Select(i => client.WatchAsync([counter], async (lease, tx) =>
        {
            var value = long.Parse(await lease.Get(counter) ?? "0", CultureInfo.InvariantCulture);
            _ = tx.Set(counter, value + 1);
            return value + 1;
        }, maxAttempts: 100, cancellationToken));
        await Task.WhenAll(increments);
        var final = await client.Db.Get(counter);
        output.WriteLine($"10 concurrent optimistic increments -> {final}");
        Check.Equal("10", final, "counter");
    }
}
