using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>The client against the real broker: every operation class, confirms, consumers, channel errors.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpClientTests(RabbitMqFixture fixture) : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private AmqpConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, await fixture.NewVhostAsync()).Within();

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task HelloWorld_PublishesToAQueue_AndGetsItBack()
    {
        var channel = _connection.CreateChannel();
        var queue = await channel.QueueDeclare("hello").ToTask().Within();
        Assert.Equal("hello", queue.Name);

        await channel.Publish("", "hello", "Hello World!").ToTask().Within();
        var got = await channel.Get("hello").ToTask().Within();

        Assert.NotNull(got);
        Assert.Equal("Hello World!", got.BodyText);
        Assert.Equal((uint)0, got.MessageCount);
        await got.Ack().ToTask().Within();
        Assert.Null(await channel.Get("hello").ToTask().Within());
    }

    [Fact]
    public async Task ConfirmedPublishes_SettleOnTheBrokersAcks_ManyInFlight()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("confirmed", durable: true).ToTask().Within();

        var publishes = Enumerable.Range(0, 2000).Select(i => channel.Publish("", "confirmed", $"m{i}", new BasicProperties { DeliveryMode = 2 }).ToTask()).ToArray();
        await Task.WhenAll(publishes).Within();

        Assert.Equal((uint)2000, (await channel.QueueDeclarePassive("confirmed").ToTask().Within()).MessageCount);
    }

    [Fact]
    public async Task AMandatoryConfirmedPublishNoQueueTakes_FailsAsReturned_AndIsOnTheReturnsStream()
    {
        var channel = _connection.CreateChannel(confirms: true);
        var returned = channel.Returns.FirstAsync().ToTask();

        var publish = channel.Publish("", "nobody-listens", "lost", mandatory: true);

        var error = await Assert.ThrowsAsync<AmqpPublishException>(() => publish.ToTask().Within());
        Assert.True(error.Returned);
        Assert.Equal(312, error.ReplyCode);
        Assert.Equal("lost", Encoding.UTF8.GetString((await returned.Within()).Body.Span));
    }

    [Fact]
    public async Task AConsumer_IsAHotStreamOfDeliveries_InOrder_AckedFromAnyThread()
    {
        var channel = _connection.CreateChannel();
        await channel.QueueDeclare("work").ToTask().Within();
        await channel.Qos(10).ToTask().Within();
        var consumer = channel.Consume("work");
        var received = consumer.Take(100).Do(d => d.Ack()).Select(d => d.BodyText).ToList().ToTask();
        await consumer.Started.ToTask().Within();

        for (var i = 0; i < 100; i++)
        {
            _ = channel.Publish("", "work", $"task {i}");
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"task {i}"), await received.Within());
    }

    [Fact]
    public async Task AChannelError_FailsTheOperationThatCausedIt_WithTheBrokersCode_AndTheChannelReopens()
    {
        var channel = _connection.CreateChannel();

        var missing = await Assert.ThrowsAsync<AmqpChannelException>(() => channel.QueueDeclarePassive("no-such-queue").ToTask().Within());

        Assert.Equal(404, missing.ReplyCode);
        Assert.Equal(50, missing.ClassId);
        Assert.Contains("no-such-queue", missing.ReplyText, StringComparison.Ordinal);
        Assert.Equal("again", (await channel.QueueDeclare("again").ToTask().Within()).Name);
    }

    [Fact]
    public async Task ExchangesAndBindings_RouteByType()
    {
        var channel = _connection.CreateChannel();
        await channel.ExchangeDeclare("logs", "fanout").ToTask().Within();
        await channel.ExchangeDeclare("topics", "topic").ToTask().Within();
        await channel.ExchangeBind("logs", "topics", "kern.*").ToTask().Within();
        var queue = await channel.QueueDeclare(exclusive: true).ToTask().Within();
        Assert.StartsWith("amq.gen-", queue.Name, StringComparison.Ordinal);
        await channel.QueueBind(queue.Name, "logs").ToTask().Within();

        await channel.Publish("topics", "kern.critical", "disk full").ToTask().Within();
        await channel.Publish("topics", "user.info", "not routed").ToTask().Within();

        Assert.Equal("disk full", (await channel.Get(queue.Name, autoAck: true).ToTask().Within())!.BodyText);
        Assert.Null(await channel.Get(queue.Name, autoAck: true).ToTask().Within());
        Assert.Equal((uint)0, await channel.QueueDelete(queue.Name).ToTask().Within());
        await channel.ExchangeUnbind("logs", "topics", "kern.*").ToTask().Within();
        await channel.ExchangeDelete("topics").ToTask().Within();
    }

    [Fact]
    public async Task Rpc_OverDirectReplyTo_MatchesRepliesByCorrelationId_AndTimesOut()
    {
        var server = _connection.CreateChannel();
        await server.QueueDeclare("rpc_queue").ToTask().Within();
        using var serving = server.Consume("rpc_queue").Subscribe(request =>
        {
            if (request.BodyText != "ignore me")
            {
                var n = int.Parse(request.BodyText, System.Globalization.CultureInfo.InvariantCulture);
                server.Publish("", request.Properties.ReplyTo!, (n * n).ToString(System.Globalization.CultureInfo.InvariantCulture), new BasicProperties { CorrelationId = request.Properties.CorrelationId });
            }

            request.Ack();
        });
        await using var rpc = await AmqpRpcClient.CreateAsync(_connection).Within();

        var answers = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => rpc.Call("", "rpc_queue", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToTask())).Within();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (i * i).ToString(System.Globalization.CultureInfo.InvariantCulture)), answers.Select(a => a.BodyText));
        var unanswered = rpc.Call("", "rpc_queue", "ignore me", TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAsync<AmqpTimeoutException>(() => unanswered.ToTask().Within());
        Assert.Equal(0, rpc.Pending);
    }
}
