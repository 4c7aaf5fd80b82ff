using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>
/// redis-py's connection pool, here: one multiplexed connection that many concurrent callers share; their commands
/// are pipelined and each gets its own reply.
/// </summary>
public sealed class RedisConnectionExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-connection";

    /// <inheritdoc />
    public override string Description => "many concurrent callers share one pipelined connection (redis-py's pool)";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var counter = Prefix + "hits";
        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await client.Db.Incr(counter);
            }
        }, cancellationToken));
        await Task.WhenAll(callers);
        var total = await client.Db.Get(counter);
        output.WriteLine($"20 callers x 100 INCR on one connection -> {total} (RESP{client.Protocol})");
        Check.Equal("2000", total, "counter");
    }
}
