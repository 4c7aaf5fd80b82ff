using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's string snippets: set/get, expiry, counters, ranges, bits.</summary>
public sealed class RedisStringsExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-strings";

    /// <inheritdoc />
    public override string Description => "strings: SET/GET with expiry, INCR, APPEND, GETRANGE, SETBIT/BITCOUNT";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var db = client.Db;
        await db.Set(Prefix + "foo", "bar", TimeSpan.FromSeconds(60));
        var foo = await db.Get(Prefix + "foo");
        output.WriteLine($"GET foo -> {foo} (ttl {await db.Ttl(Prefix + "foo")} s)");
        output.WriteLine($"INCRBY visits 5 -> {await db.IncrBy(Prefix + "visits", 5)}");
        output.WriteLine($"APPEND foo '!' -> length {await db.Append(Prefix + "foo", "!")}");
        output.WriteLine($"GETRANGE foo 0 1 -> {await db.GetRange(Prefix + "foo", 0, 1)}");
        await db.SetBit(Prefix + "bits", 3, true);
        var bits = await db.BitCount(Prefix + "bits");
        output.WriteLine($"BITCOUNT bits -> {bits}");
        Check.Equal("bar", foo, "GET foo");
        Check.Equal("bar!", await db.Get(Prefix + "foo"), "after APPEND");
        Check.Equal(1L, bits, "BITCOUNT");
    }
}
