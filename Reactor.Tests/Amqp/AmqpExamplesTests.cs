using ReactiveKv.Examples.Amqp;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>The RabbitMQ tutorial examples against the test broker: each passes its own checks and leaves nothing behind.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpExamplesTests(RabbitMqFixture fixture)
{
    public static TheoryData<string, string> Examples => new()
    {
        { "rabbitmq-hello", " [x] Received 'Hello World!'" },
        { "rabbitmq-work-queues", "all 5 tasks done (worker 1: " },
        { "rabbitmq-pubsub", "both receivers got all 3 logs" },
        { "rabbitmq-routing", "receiver 1 got 2 logs (warning, error), receiver 2 got 4 (all)" },
        { "rabbitmq-topics", "'kern.#' matched: kern.critical, kern.info, kern.disk.full, kern" },
        { "rabbitmq-rpc", " [.] Got 832040" },
        { "rabbitmq-confirms", "Published 10,000 messages and handled confirms asynchronously" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task EveryRabbitMqExample_RunsAgainstTheBroker_ChecksItself_AndCleansUp(string name, string expected)
    {
        var example = Assert.IsAssignableFrom<AmqpExample>(ExampleCatalog.Find(name));
        Assert.True(example.NeedsExternalServer);
        var vhost = fixture.VhostName();
        var url = await fixture.Broker.AddVhostAsync(vhost).Within();
        var output = new StringWriter();

        var exit = await example.RunAsync(new ExampleArgs { Server = url }, output, CancellationToken.None).Within();

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains(expected, text);
        Assert.DoesNotContain("could not delete", text);
        var queues = Lines(await fixture.Broker.RunCtlAsync("list_queues", "-p", vhost, "-q", "--no-table-headers", "name").Within())
            .Where(q => !q.StartsWith("amq.gen-", StringComparison.Ordinal));
        Assert.Empty(queues);
        var exchanges = Lines(await fixture.Broker.RunCtlAsync("list_exchanges", "-p", vhost, "-q", "--no-table-headers", "name").Within())
            .Where(e => !e.StartsWith("amq.", StringComparison.Ordinal));
        Assert.Empty(exchanges);
    }

    [Fact]
    public void TheTheory_CoversEveryRabbitMqExampleInTheCatalog()
    {
        var tested = Examples.Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        var catalogued = ExampleCatalog.All.OfType<AmqpExample>().Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal(catalogued, tested);
    }

    [Fact]
    public async Task TheCommandLine_TakesTheBrokerAsServerOrAmqp()
    {
        var url = await fixture.NewVhostAsync().Within();
        foreach (var option in new[] { "--server", "--amqp" })
        {
            var stdout = new StringWriter();

            var exit = await Cli.RunAsync(["rabbitmq-hello", option, url], stdout, TextWriter.Null).Within();

            Assert.Equal(ExitCodes.Ok, exit);
            Assert.Contains(" [x] Sent 'Hello World!'", stdout.ToString());
        }
    }

    [Fact]
    public async Task NoBroker_IsExitCode1_AndAllSkipsTheRabbitMqExamplesInOneLine()
    {
        var nowhere = $"amqp://guest:guest@127.0.0.1:{ReactorFixture.FreePort()}/";
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.Failed, await Cli.RunAsync(["rabbitmq-hello", "--server", nowhere], TextWriter.Null, stderr).Within());
        Assert.Single(Lines(stderr.ToString()));
        Assert.NotNull(await AmqpExample.ProbeAsync(nowhere).Within());
        Assert.Contains("no RabbitMQ broker at 127.0.0.1:", await AmqpExample.ProbeAsync(nowhere).Within());
    }

    [Fact]
    public async Task All_WithABroker_RunsTheRabbitMqExamplesToo()
    {
        var url = await fixture.NewVhostAsync().Within();
        var stdout = new StringWriter();

        var exit = await Cli.RunAsync(["all", "--server", $"127.0.0.1:{ReactorFixture.FreePort()}", "--amqp", url], stdout, TextWriter.Null)
            .WaitAsync(TimeSpan.FromMinutes(5));

        var text = stdout.ToString();
        Assert.True(exit == ExitCodes.Ok, text);
        Assert.All(ExampleCatalog.All.OfType<AmqpExample>(), e => Assert.Matches($@"(?m)^ok\s+{e.Name} ", text));
        Assert.DoesNotContain("skipped rabbitmq", text);
        Assert.Contains("skipped redis examples", text);
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
