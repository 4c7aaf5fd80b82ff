using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Examples.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>The Redis examples against the collection's real redis-server: each passes its own checks and cleans up.</summary>
[Collection("redis")]
public class RedisExamplesTests(RedisFixture fixture)
{
    public static TheoryData<string, string> Examples => new()
    {
        { "redis-connection", "20 callers x 100 INCR on one connection -> 2000" },
        { "redis-strings", "GET foo -> bar (ttl 60 s)" },
        { "redis-hashes", "visits = 3" },
        { "redis-lists", "BLPOP queue -> b" },
        { "redis-sets", "both: bob; either: ada,bob,cy,dan; tea only: ada,cy" },
        { "redis-sorted-sets", "cy   35" },
        { "redis-pipeline", "transaction committed: True; RPUSH -> 2; LRANGE -> one,two" },
        { "redis-pubsub", "subscriber got: hello from redis" },
        { "justredis", "10 concurrent optimistic increments -> 10" },
        { "redis-rx-pubsub", "total 1275" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task EveryRedisExample_RunsAgainstARealServer_AndChecksItself(string name, string expected)
    {
        var example = Assert.IsAssignableFrom<RedisExample>(ExampleCatalog.Find(name));
        Assert.True(example.NeedsExternalServer);
        var output = new StringWriter();

        var exit = await example.RunAsync(new ExampleArgs { Server = fixture.Server.Url }, output, CancellationToken.None).Within();

        Assert.Equal(0, exit);
        Assert.Contains(expected, output.ToString());
        Assert.Empty(await fixture.Client.Db.Keys($"example:{name}:*"));
        Assert.Empty(await fixture.Client.Database(1).Keys($"example:{name}:*"));
    }

    [Fact]
    public void TheTheory_CoversEveryRedisExampleInTheCatalog()
    {
        var tested = Examples.Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        var catalogued = ExampleCatalog.All.OfType<RedisExample>().Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal(catalogued, tested);
    }

    [Fact]
    public async Task TheCommandLine_TakesTheServerAsHostAndPort()
    {
        var stdout = new StringWriter();

        var exit = await Cli.RunAsync(["redis-strings", "--server", $"127.0.0.1:{fixture.Server.Port}"], stdout, TextWriter.Null).Within();

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("GET foo -> bar", stdout.ToString());
    }

    [Fact]
    public async Task All_WithAServer_RunsTheRedisExamplesToo()
    {
        var stdout = new StringWriter();

        var exit = await Cli.RunAsync(["all", "--server", fixture.Server.Url], stdout, TextWriter.Null).Within();

        var text = stdout.ToString();
        Assert.True(exit == ExitCodes.Ok, text);
        Assert.All(ExampleCatalog.All.Where(e => !e.NeedsExternalServer || e is RedisExample), e => Assert.Matches($@"(?m)^ok\s+{e.Name} ", text));
        Assert.DoesNotContain("skipped redis", text);
    }
}
