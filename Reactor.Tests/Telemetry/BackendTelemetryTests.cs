using System.Diagnostics;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Tests.Amqp;
using ReactiveKv.Tests.Keyspace;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Telemetry;

/// <summary>
/// Every backend other than Redis, against its embedded server (or the fake AMQP broker): its activities and its
/// duration histogram and counts, with the system name and operation names the conventions ask for.
/// </summary>
[Collection("telemetry")]
public sealed class BackendTelemetryTests
{
    [Fact]
    public async Task KyotoTycoon_RecordsEachProcedure_ByName_NotByKey()
    {
        await using var reactor = new ReactorFixture();
        await using var server = await KtServer.StartAsync(reactor.Reactor, new KtServerOptions());
        await using var client = KtClient.Create(reactor.Reactor, new KtOptions { Port = server.Address.Port });
        using var capture = new TelemetryCapture(TelemetryNames.KyotoTycoon);

        await client.Set(B("secret-key"), B("v")).ToTask().Within();
        Assert.Equal("v", Encoding.ASCII.GetString((await client.Get(B("secret-key")).ToTask().Within())!.Value));

        var get = Assert.Single(capture.Activities, a => a.DisplayName == "get");
        Assert.Equal("kyoto_tycoon", get.GetTagItem("db.system.name"));
        Assert.Equal(server.Address.Port, get.GetTagItem("server.port"));
        Assert.DoesNotContain(capture.Activities, a => a.DisplayName.Contains("secret", StringComparison.Ordinal));
        AssertMeasured(capture, server.Address.Port, "db", "kyoto_tycoon", "get", "set");
        Assert.Equal(0, Active(capture, "db.operation.name"));
    }

    [Fact]
    public async Task Pegasus_RecordsEachRpc_ByItsRpcName_UnderTheCallersActivity()
    {
        await using var reactor = new ReactorFixture();
        await using var server = await PegasusServer.StartAsync(reactor.Reactor, new PegasusServerOptions { Partitions = 2, Replicas = 1, Metas = 1 });
        await using var client = PegasusClient.Create(reactor.Reactor, new PegasusOptions { MetaServers = server.MetaList.Split(','), Table = "temp" });
        var table = await client.OpenTable().ToTask().Within();
        using var capture = new TelemetryCapture(TelemetryNames.Pegasus);

        await table.Set(B("h"), B("s"), B("v")).ToTask().Within();
        Assert.Equal("v", Encoding.ASCII.GetString((await table.Get(B("h"), B("s")).ToTask().Within())!));

        var durations = capture.Of("db.client.operation.duration");
        Assert.Contains(durations, m => (string?)m["db.system.name"] == "pegasus" && (string?)m["db.operation.name"] == "RPC_RRDB_RRDB_GET");
        Assert.Contains(durations, m => (string?)m["db.operation.name"] == "RPC_RRDB_RRDB_PUT");
        Assert.All(durations, m => Assert.False(m.Tags.ContainsKey("error.type")));
        Assert.Equal(0, Active(capture, "db.operation.name", "RPC_RRDB_RRDB_GET", "RPC_RRDB_RRDB_PUT"));
        Assert.Contains(capture.Activities, a => a.DisplayName == "RPC_RRDB_RRDB_GET" && (string?)a.GetTagItem("db.system.name") == "pegasus");
    }

    [Fact]
    public async Task Keyspace_RecordsEachCommand_ByName_NotByKey_UnderTheCallersActivity()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(1);
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, cluster.Server.Url).Within();
        using var capture = new TelemetryCapture(TelemetryNames.Keyspace);

        await client.Set("secret-key", "v", ValuePackers.Utf8).ToTask().Within();
        Assert.Equal("v", await client.GetString("secret-key").ToTask().Within());

        var durations = capture.Of("db.client.operation.duration");
        Assert.Contains(durations, m => (string?)m["db.system.name"] == "keyspace" && (string?)m["db.operation.name"] == "Set");
        Assert.Contains(durations, m => (string?)m["db.operation.name"] == "Get");
        Assert.Equal(0, Active(capture, "db.operation.name", "Get", "Set"));
        Assert.Contains(capture.Activities, a => a.DisplayName == "Get" && (string?)a.GetTagItem("db.system.name") == "keyspace");
        Assert.DoesNotContain(capture.AllActivities, a => a.DisplayName.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Amqp_APublish_IsAProducerActivity_WithTheMessagingConventions_AndCountsSentAndConsumedMessages()
    {
        await using var reactor = new ReactorFixture();
        await using var broker = new FakeAmqpBroker(reactor.Reactor);
        await using var connection = await AmqpConnection.ConnectAsync(reactor.Reactor, broker.Options()).Within();
        var channel = connection.CreateChannel(confirms: true);
        using var capture = new TelemetryCapture(TelemetryNames.Amqp);

        await channel.Publish("", "jobs", "hello").ToTask().Within();
        Assert.NotNull(await channel.Get("jobs", autoAck: true).ToTask().Within());

        var publish = Assert.Single(capture.Activities, a => a.DisplayName == "publish amq.default");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal("rabbitmq", publish.GetTagItem("messaging.system"));
        Assert.Equal("publish", publish.GetTagItem("messaging.operation.name"));
        Assert.Equal("send", publish.GetTagItem("messaging.operation.type"));
        Assert.Equal("amq.default", publish.GetTagItem("messaging.destination.name"));
        Assert.Equal("jobs", publish.GetTagItem("messaging.rabbitmq.destination.routing_key"));
        Assert.Equal(broker.Port, publish.GetTagItem("server.port"));
        var receive = Assert.Single(capture.Activities, a => a.DisplayName == "receive jobs");
        Assert.Equal("receive", receive.GetTagItem("messaging.operation.type"));

        Assert.Contains(capture.Of("messaging.client.operation.duration", broker.Port), m => (string?)m["messaging.operation.name"] == "publish");
        var sent = Assert.Single(capture.Of("messaging.client.sent.messages", broker.Port));
        Assert.Equal("amq.default", sent["messaging.destination.name"]);
        var consumed = Assert.Single(capture.Of("messaging.client.consumed.messages", broker.Port));
        Assert.Equal("jobs", consumed["messaging.destination.name"]);
        Assert.Equal(0, Active(capture, "messaging.operation.name"));
    }

    [Fact]
    public async Task Amqp_APublishWithoutConfirms_EndsWhenWritten()
    {
        await using var reactor = new ReactorFixture();
        await using var broker = new FakeAmqpBroker(reactor.Reactor);
        await using var connection = await AmqpConnection.ConnectAsync(reactor.Reactor, broker.Options()).Within();
        var channel = connection.CreateChannel();
        using var capture = new TelemetryCapture(TelemetryNames.Amqp);

        await channel.Publish("logs", "info", "hello").ToTask().Within();
        Assert.NotNull(await channel.Get("nothing-here", autoAck: true).ToTask().Within() ?? (object)"empty");

        Assert.Single(capture.Of("messaging.client.sent.messages", broker.Port));
        Assert.Contains(capture.Activities, a => a.DisplayName == "publish logs");
        Assert.Equal(0, Active(capture, "messaging.operation.name"));
    }

    private static void AssertMeasured(TelemetryCapture capture, int port, string prefix, string system, params string[] operations)
    {
        var durations = capture.Of($"{prefix}.client.operation.duration", port);
        var counts = capture.Of("reactivekv.client.operations", port);
        foreach (var operation in operations)
        {
            var duration = Assert.Single(durations, m => (string?)m[$"{prefix}.operation.name"] == operation);
            Assert.Equal(system, duration[$"{prefix}.system.name"]);
            Assert.Equal("s", duration.Unit);
            Assert.Equal("ok", Assert.Single(counts, m => (string?)m[$"{prefix}.operation.name"] == operation)["reactivekv.outcome"]);
        }
    }

    /// <summary>Operations still active (of <paramref name="operations"/>, or all): every one that started has ended.</summary>
    private static double Active(TelemetryCapture capture, string operationKey, params string[] operations) =>
        capture.Of("reactivekv.client.operations.active")
            .Where(m => operations.Length == 0 || operations.Contains((string?)m[operationKey]))
            .Sum(m => m.Value);

    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);
}
