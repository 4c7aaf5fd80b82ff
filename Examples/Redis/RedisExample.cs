using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>
/// Base of the Redis examples: connects to <c>--host/--port</c> (default 127.0.0.1:6379, or the <c>REDIS_URL</c>
/// environment variable), runs the example on its own key prefix, and deletes those keys afterwards.
/// </summary>
public abstract class RedisExample : IExample
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool NeedsExternalServer => true;

    /// <summary>Keys of this example start with this.</summary>
    protected string Prefix => $"example:{Name}:";

    /// <summary>The server URL for <paramref name="args"/>.</summary>
    public static string UrlFor(ExampleArgs args) =>
        args.Port is { } port ? $"redis://{args.Host}:{port}" : Environment.GetEnvironmentVariable("REDIS_URL") ?? "redis://127.0.0.1:6379";

    /// <summary>True when a redis-server answers at <paramref name="url"/>.</summary>
    public static async Task<bool> ReachableAsync(string url)
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        try
        {
            await using var client = await RedisClient.Connect(reactor, RedisOptions.Parse(url) with { ConnectTimeout = TimeSpan.FromSeconds(2) });
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        await using var client = await RedisClient.Connect(reactor, UrlFor(args)).WithCancellation(cancellationToken);
        try
        {
            await RunAsync(client, output, cancellationToken);
        }
        finally
        {
            var keys = await client.Db.Keys(Prefix + "*");
            if (keys.Length > 0)
            {
                await client.Db.Del([.. keys.Select(k => (RedisValue)k!)]);
            }
        }

        return 0;
    }

    /// <summary>The example itself; throws <see cref="ExampleFailedException"/> (through <see cref="Check"/>) when its output is wrong.</summary>
    protected abstract Task RunAsync(RedisClient client, TextWriter output, CancellationToken cancellationToken);
}
