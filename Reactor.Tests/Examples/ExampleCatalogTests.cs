using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Examples;

public class ExampleCatalogTests
{
    [Fact]
    public async Task RunAll_WithoutARedisServer_RunsEveryOtherExample_SkipsRedisInOneLine_AndSucceeds()
    {
        var output = new StringWriter();
        var nowhere = $"127.0.0.1:{ReactorFixture.FreePort()}";

        var exitCode = await ExampleCatalog.RunAllAsync(output, nowhere).Within();

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        foreach (var example in ExampleCatalog.All.Where(e => !e.NeedsExternalServer))
        {
            Assert.Matches($@"(?m)^ok\s+{example.Name} ", text);
        }

        Assert.Contains($"skipped redis examples: no redis-server at redis://{nowhere} (start one with: redis-server --port 6379)", text);
        Assert.All(ExampleCatalog.All.OfType<RedisExample>(), e => Assert.DoesNotMatch($@"(?m)^\S+\s+{e.Name} ", text));
        Assert.DoesNotContain("FAILED", text);
    }

    [Fact]
    public void Catalog_HasTheTutorialExamples_WithUniqueNamesAndDescriptions()
    {
        var names = ExampleCatalog.All.Select(e => e.Name).ToList();

        Assert.Subset(
            new HashSet<string>(names),
            new HashSet<string> { "echo-server", "echo-client", "handler-registry", "chat", "reconnecting-client", "tls-echo", "hosted-echo" });
        Assert.Subset(new HashSet<string>(names), new HashSet<string> { "keyspace-tour", "keyspace-rx-list", "keyspace-failover" });
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(ExampleCatalog.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
    }
}
