using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Examples.Redis;
using ReactiveKv.Tests.Examples;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

[Collection("redis")]
public class RedisExamplesTests(RedisFixture fixture)
{
    public static TheoryData<string, string> Examples => new()
    {
        { "redis-connection", "-> 2000" },
        { "redis-strings", "GET foo -> bar" },
        { "redis-hashes", "visits = 3" },
        { "redis-lists", "BLPOP queue -> b" },
        { "redis-sets", "both: bob" },
        { "redis-sorted-sets", "cy   35" },
        { "redis-pipeline", "transaction committed: True" },
        { "redis-pubsub", "subscriber got: hello from redis" },
        { "justredis", "10 concurrent optimistic increments -> 10" },
        { "redis-rx-pubsub", "total 1275" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task EveryRedisExample_RunsAgainstARealServer_AndChecksItself(string name, string expected)
    {
        var example = Assert.IsAssignableFrom<RedisExample>(ExampleCatalog.Find(name));
        var output = new StringWriter();
        var exit = await example.RunAsync(new ExampleArgs { Port = fixture.Server.Port }, output, CancellationToken.None).Within();
        Assert.Equal(0, exit);
        Assert.Contains(expected, output.ToString());
        Assert.Empty(await fixture.Client.Db.Keys($"example:{name}:*"));
    }

    [Fact]
    public async Task Kv_SendsAnyCommand_AndPrintsRepliesAsRedisCliDoes()
    {
        var url = fixture.Server.Url;
        Assert.Equal((0, "OK"), await Kv(url, "SET", "cli:k", "v"));
        Assert.Equal((0, "\"v\""), await Kv(url, "GET", "cli:k"));
        await Kv(url, "HSET", "cli:h", "a", "1");
        Assert.Equal((0, "1) \"a\" => \"1\""), await Kv(url, "HGETALL", "cli:h"));
        Assert.Equal((0, "(nil)"), await Kv($"{url}/3", "GET", "cli:k"));
    }

    [Fact]
    public async Task Kv_Errors_AreOneLine_WithTheRightExitCode()
    {
        var (code, error) = await KvError(fixture.Server.Url, "INCR", "cli:text", "extra-arg");
        Assert.Equal(1, code);
        Assert.Contains("ERR", error);
        Assert.Single(error.Trim().Split('\n'));

        (code, error) = await KvError($"redis://127.0.0.1:{ReactorFixture.FreePort()}", "PING");
        Assert.Equal(1, code);
        Assert.Contains("refused", error);

        (code, error) = await KvError("redis://127.0.0.1:6379/notadb", "PING");
        Assert.Equal(2, code);
        Assert.Contains("not a database number", error);

        (code, _) = await KvError(fixture.Server.Url, "SELECT", "1");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task KvSubscribe_PrintsMessagesUntilCancelled()
    {
        using var stop = new CancellationTokenSource();
        var subscribed = new LineWatcher(line => line.Contains("subscribed to cli:news"));
        var running = Cli.RunAsync(["kv", fixture.Server.Url, "subscribe", "cli:news"], subscribed, TextWriter.Null, stop.Token);
        await subscribed.Matched.Within();

        await fixture.Client.Publish("cli:news", "breaking");
        await Until(() => subscribed.ToString().Contains("cli:news: breaking"));
        stop.Cancel();

        Assert.Equal(0, await running.Within());
    }

    private static async Task Until(Func<bool> condition)
    {
        // The message crosses a second connection; wait for it by yielding, bounded, never by sleeping.
        for (var i = 0; i < 100_000 && !condition(); i++)
        {
            await Task.Yield();
        }

        Assert.True(condition());
    }

    private static async Task<(int, string)> Kv(params string[] args)
    {
        var stdout = new StringWriter();
        var code = await Cli.RunAsync(["kv", .. args], stdout, TextWriter.Null).Within();
        return (code, stdout.ToString().Trim());
    }

    private static async Task<(int, string)> KvError(params string[] args)
    {
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(["kv", .. args], TextWriter.Null, stderr).Within();
        return (code, stderr.ToString());
    }
}
