using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>
/// Base of the Redis examples: connects to <c>--server host:port</c> (or a URL; else <c>--port</c>, else the
/// <c>REDIS_URL</c> environment variable, else redis://127.0.0.1:6379), runs the example on its own key prefix, and
/// deletes those keys afterwards.
/// </summary>
public abstract class RedisExample : IExample
{
    /// <summary>Where the examples look for a server when nothing else is said.</summary>
    public const string DefaultUrl = "redis://127.0.0.1:6379";

    /// <summary>How long <c>all</c> waits for a server before it skips the Redis examples.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool NeedsExternalServer => true;

    /// <summary>Keys of this example start with this.</summary>
    protected string Prefix => $"example:{Name}:";

    /// <summary>The server URL for <paramref name="args"/>.</summary>
    public static string UrlFor(ExampleArgs args) => args switch
    {
        { Server: { } server } => server.Contains("://", StringComparison.Ordinal) ? server : $"redis://{server}",
        { Port: { } port } => $"redis://{args.Host}:{port}",
        _ => Environment.GetEnvironmentVariable("REDIS_URL") is { Length: > 0 } env ? env : DefaultUrl,
    };

    /// <summary>
    /// Null when a redis-server answers at <paramref name="url"/> within a short connect timeout; otherwise why the
    /// Redis examples cannot run there, in one line.
    /// </summary>
    public static async Task<string?> ProbeAsync(string url)
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        try
        {
            await using var client = await RedisClient.ConnectAsync(reactor, RedisOptions.Parse(url) with { ConnectTimeout = ProbeTimeout });
            return null;
        }
        catch (RedisConnectionException)
        {
            return $"no redis-server at {ServiceUrl.Redact(url)} (start one with: redis-server --port 6379)";
        }
        catch (Exception e) when (e is FormatException or RedisReplyException)
        {
            // A malformed REDIS_URL or a server that rejects our credentials is no reason for 'all' to fail.
            return $"cannot use {ServiceUrl.Redact(url)}: {e.Message}";
        }
    }

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ParseOptions(UrlFor(args));
        await using var reactor = new Reactor();
        reactor.Start();
        await using var client = await RedisClient.ConnectAsync(reactor, options, cancellationToken);
        try
        {
            await RunAsync(reactor, client, output, cancellationToken);
        }
        finally
        {
            await CleanUpAsync(client, output);
        }

        return 0;
    }

    /// <summary>
    /// The example itself; throws <see cref="ExampleFailedException"/> (through <see cref="Check"/>) when its output
    /// is wrong. <paramref name="reactor"/> is the client's, for Rx operators that need a clock.
    /// </summary>
    protected abstract Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken);

    private static RedisOptions ParseOptions(string url)
    {
        try
        {
            return RedisOptions.Parse(url);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Deletes this example's keys; a failure here is reported but never hides the example's own error.</summary>
    private async Task CleanUpAsync(RedisClient client, TextWriter output)
    {
        try
        {
            var keys = new List<RedisValue>();
            await foreach (var key in client.Db.ScanAsync(Prefix + "*"))
            {
                keys.Add(key);
            }

            if (keys.Count > 0)
            {
                await client.Db.Del([.. keys]);
            }
        }
        catch (Exception e) when (e is RedisConnectionException or RedisReplyException)
        {
            output.WriteLine($"could not delete the {Prefix}* keys: {e.Message}");
        }
    }
}
