using ReactiveKv.Examples.Amqp;
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
        var noBroker = $"amqp://guest:guest@127.0.0.1:{ReactorFixture.FreePort()}/";

        var exitCode = await ExampleCatalog.RunAllAsync(output, nowhere, noBroker).Within();

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        foreach (var example in ExampleCatalog.All.Where(e => !e.NeedsExternalServer))
        {
            Assert.Matches($@"(?m)^ok\s+{example.Name} ", text);
        }

        Assert.Contains($"skipped redis examples: no redis-server at redis://{nowhere} (start one with: redis-server --port 6379)", text);
        Assert.All(ExampleCatalog.All.OfType<RedisExample>(), e => Assert.DoesNotMatch($@"(?m)^\S+\s+{e.Name} ", text));
        Assert.Matches(@"(?m)^skipped rabbitmq examples: no RabbitMQ broker at 127\.0\.0\.1:\d+ vhost '/' \(start one with: rabbitmq-server, or set AMQP_URL\)\r?$", text);
        Assert.All(ExampleCatalog.All.OfType<AmqpExample>(), e => Assert.DoesNotMatch($@"(?m)^\S+\s+{e.Name} ", text));
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
        Assert.Subset(
            new HashSet<string>(names),
            new HashSet<string> { "rabbitmq-hello", "rabbitmq-work-queues", "rabbitmq-pubsub", "rabbitmq-routing", "rabbitmq-topics", "rabbitmq-rpc", "rabbitmq-confirms" });
        Assert.All(ExampleCatalog.All.OfType<AmqpExample>(), e => Assert.True(e.NeedsExternalServer, e.Name));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(ExampleCatalog.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
    }
}
