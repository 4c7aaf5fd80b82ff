using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Every operation of the client against the real broker: queue arguments, exchanges, properties, acks, tx.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpOperationsTests(RabbitMqFixture fixture) : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private AmqpConnection _connection = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        _url = await fixture.NewVhostAsync();
        _connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _url).Within();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task MessageTtl_ExpiresAMessage_WhichIsDeadLetteredWithItsReason()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("expired").ToTask().Within();
        await channel.QueueDeclare("short-lived", arguments: new FieldTable
        {
            ["x-message-ttl"] = 50,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = "expired",
        }).ToTask().Within();
        var expired = channel.Consume("expired", new AmqpConsumeOptions { AutoAck = true }).FirstAsync().ToTask();

        await channel.Publish("", "short-lived", "soon gone").ToTask().Within();

        var dead = await expired.Within();
        Assert.Equal("soon gone", dead.BodyText);
        var death = Assert.IsType<FieldTable>(Assert.Single(Assert.IsType<List<object?>>(dead.Properties.Headers!["x-death"])));
        Assert.Equal("expired", death["reason"]);
        Assert.Equal("short-lived", death["queue"]);
        Assert.Equal((uint)0, (await channel.QueueDeclarePassive("short-lived").ToTask().Within()).MessageCount);
    }

    [Fact]
    public async Task DeadLetterExchange_ReceivesAMessageRejectedWithoutRequeue()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.ExchangeDeclare("dlx", "fanout").ToTask().Within();
        await channel.QueueDeclare("dead").ToTask().Within();
        await channel.QueueBind("dead", "dlx").ToTask().Within();
        await channel.QueueDeclare("work", arguments: new FieldTable { ["x-dead-letter-exchange"] = "dlx" }).ToTask().Within();
        var dead = channel.Consume("dead", new AmqpConsumeOptions { AutoAck = true }).FirstAsync().ToTask();
        await channel.Publish("", "work", "poison").ToTask().Within();

        var got = (await channel.Get("work").ToTask().Within())!;
        await got.Reject(requeue: false).ToTask().Within();

        var lettered = await dead.Within();
        Assert.Equal("poison", lettered.BodyText);
        Assert.Equal("dlx", lettered.Exchange);
        Assert.Equal("work", lettered.RoutingKey);
        var death = Assert.IsType<FieldTable>(Assert.Single(Assert.IsType<List<object?>>(lettered.Properties.Headers!["x-death"])));
        Assert.Equal("rejected", death["reason"]);
    }

    [Fact]
    public async Task MaxLength_DropsTheOldest()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("bounded", arguments: new FieldTable { ["x-max-length"] = 2 }).ToTask().Within();

        foreach (var body in new[] { "one", "two", "three" })
        {
            await channel.Publish("", "bounded", body).ToTask().Within();
        }

        Assert.Equal((uint)2, (await channel.QueueDeclarePassive("bounded").ToTask().Within()).MessageCount);
        Assert.Equal("two", (await channel.Get("bounded", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Equal("three", (await channel.Get("bounded", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Null(await channel.Get("bounded", autoAck: true).ToTask().Within());
    }

    [Fact]
    public async Task MaxPriority_HandsOutTheHighestPriorityFirst()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("prioritised", arguments: new FieldTable { ["x-max-priority"] = 10 }).ToTask().Within();

        foreach (var priority in new byte[] { 1, 9, 5, 0 })
        {
            await channel.Publish("", "prioritised", $"p{priority}", new BasicProperties { Priority = priority }).ToTask().Within();
        }

        var order = new List<string>();
        while (await channel.Get("prioritised", autoAck: true).ToTask().Within() is { } got)
        {
            order.Add(got.BodyText);
        }

        Assert.Equal(["p9", "p5", "p1", "p0"], order);
    }

    [Fact]
    public async Task QuorumQueue_IsDeclared_AndTakesAndHandsOutMessages()
    {
        var channel = _connection.CreateChannel(confirms: true);
        var queue = await channel.QueueDeclare("replicated", durable: true, arguments: new FieldTable { ["x-queue-type"] = "quorum" }).ToTask().Within();
        Assert.Equal("replicated", queue.Name);

        await channel.Publish("", "replicated", "safe", new BasicProperties { DeliveryMode = 2 }).ToTask().Within();
        var got = (await channel.Get("replicated").ToTask().Within())!;

        Assert.Equal("safe", got.BodyText);
        await got.Ack().ToTask().Within();
        // A quorum queue refuses to be redeclared as classic: the arguments really reached the broker.
        var mismatch = await Assert.ThrowsAsync<AmqpChannelException>(() => channel.QueueDeclare("replicated", durable: true).ToTask().Within());
        Assert.Equal(406, mismatch.ReplyCode);
        Assert.Equal("replicated", (await channel.QueueDeclarePassive("replicated").ToTask().Within()).Name);
    }

    [Fact]
    public async Task ServerNamedExclusiveQueue_IsLockedToItsConnection()
    {
        var channel = _connection.CreateChannel();
        var queue = await channel.QueueDeclare(exclusive: true).ToTask().Within();
        Assert.StartsWith("amq.gen-", queue.Name, StringComparison.Ordinal);

        await using var other = await AmqpConnection.ConnectAsync(_reactor.Reactor, _url).Within();
        var locked = await Assert.ThrowsAsync<AmqpChannelException>(() => other.CreateChannel().QueueDeclarePassive(queue.Name).ToTask().Within());

        Assert.Equal(405, locked.ReplyCode);
        Assert.Contains("RESOURCE_LOCKED", locked.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoDeleteQueue_GoesAwayWhenItsLastConsumerLeaves()
    {
        var channel = _connection.CreateChannel();
        await channel.QueueDeclare("transient", autoDelete: true).ToTask().Within();
        var consumer = channel.Consume("transient");
        var subscription = consumer.Subscribe(_ => { });
        await consumer.Started.ToTask().Within();
        Assert.Equal((uint)1, (await channel.QueueDeclarePassive("transient").ToTask().Within()).ConsumerCount);

        subscription.Dispose();

        // The broker deletes the queue just after it answers the cancel: ask until it is gone.
        var deadline = DateTime.UtcNow + Guard.Timeout;
        AmqpChannelException? gone = null;
        while (gone is null && DateTime.UtcNow < deadline)
        {
            try
            {
                await channel.QueueDeclarePassive("transient").ToTask().Within();
            }
            catch (AmqpChannelException e)
            {
                gone = e;
            }
        }

        Assert.Equal((ushort)404, gone?.ReplyCode);
    }

    [Fact]
    public async Task PassiveDeclareOfAMissingQueue_Fails404()
    {
        var channel = _connection.CreateChannel();

        var missing = await Assert.ThrowsAsync<AmqpChannelException>(() => channel.QueueDeclarePassive("nowhere").ToTask().Within());

        Assert.Equal(404, missing.ReplyCode);
        Assert.Contains("NOT_FOUND", missing.ReplyText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AmqpChannelException>(() => channel.ExchangeDeclarePassive("nowhere").ToTask().Within());
    }

    [Fact]
    public async Task RedeclaringWithAnotherDurability_Fails406_AndTheChannelReopens()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("settled", durable: false).ToTask().Within();

        var mismatch = await Assert.ThrowsAsync<AmqpChannelException>(() => channel.QueueDeclare("settled", durable: true).ToTask().Within());

        Assert.Equal(406, mismatch.ReplyCode);
        Assert.Contains("durable", mismatch.ReplyText, StringComparison.Ordinal);
        await channel.Publish("", "settled", "after the error").ToTask().Within();
        Assert.Equal("after the error", (await channel.Get("settled", autoAck: true).ToTask().Within())!.BodyText);
    }

    [Fact]
    public async Task BindAndUnbind_StartAndStopRouting()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.ExchangeDeclare("orders", "direct").ToTask().Within();
        await channel.QueueDeclare("billing").ToTask().Within();
        await channel.QueueBind("billing", "orders", "paid").ToTask().Within();

        await channel.Publish("orders", "paid", "order 1", mandatory: true).ToTask().Within();
        await channel.QueueUnbind("billing", "orders", "paid").ToTask().Within();
        var unrouted = await Assert.ThrowsAsync<AmqpPublishException>(() => channel.Publish("orders", "paid", "order 2", mandatory: true).ToTask().Within());

        Assert.True(unrouted.Returned);
        Assert.Equal("order 1", (await channel.Get("billing", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Null(await channel.Get("billing", autoAck: true).ToTask().Within());
    }

    [Fact]
    public async Task Purge_DropsTheReadyMessages_AndCountsThem()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("full").ToTask().Within();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => channel.Publish("", "full", $"m{i}").ToTask())).Within();

        Assert.Equal((uint)5, await channel.QueuePurge("full").ToTask().Within());
        Assert.Equal((uint)0, (await channel.QueueDeclarePassive("full").ToTask().Within()).MessageCount);
        Assert.Equal((uint)0, await channel.QueuePurge("full").ToTask().Within());
    }

    [Fact]
    public async Task DeleteIfUnused_RefusesAQueueWithAConsumer_AndIfEmpty_OneWithMessages()
    {
        var channel = _connection.CreateChannel(confirms: true);
        var admin = _connection.CreateChannel();
        await channel.QueueDeclare("busy").ToTask().Within();
        var consumer = channel.Consume("busy");
        var subscription = consumer.Subscribe(_ => { });
        await consumer.Started.ToTask().Within();

        var inUse = await Assert.ThrowsAsync<AmqpChannelException>(() => admin.QueueDelete("busy", ifUnused: true).ToTask().Within());
        Assert.Equal(406, inUse.ReplyCode);

        subscription.Dispose();
        await channel.QueueDeclare("loaded").ToTask().Within();
        await channel.Publish("", "loaded", "still here").ToTask().Within();
        var notEmpty = await Assert.ThrowsAsync<AmqpChannelException>(() => admin.QueueDelete("loaded", ifEmpty: true).ToTask().Within());
        Assert.Equal(406, notEmpty.ReplyCode);

        Assert.Equal((uint)1, await admin.QueueDelete("loaded").ToTask().Within());
        await admin.QueueDeclare("empty").ToTask().Within();
        Assert.Equal((uint)0, await admin.QueueDelete("empty", ifUnused: true, ifEmpty: true).ToTask().Within());
        await Assert.ThrowsAsync<AmqpChannelException>(() => admin.QueueDeclarePassive("empty").ToTask().Within());
    }

    [Fact]
    public async Task Exchanges_RouteByType_DirectFanoutTopicAndHeaders()
    {
        var channel = _connection.CreateChannel(confirms: true);
        foreach (var (exchange, type) in new[] { ("d", "direct"), ("f", "fanout"), ("t", "topic"), ("h", "headers") })
        {
            await channel.ExchangeDeclare(exchange, type).ToTask().Within();
        }

        foreach (var queue in new[] { "d-red", "d-blue", "f-1", "f-2", "t-kern", "t-all", "h-all", "h-any" })
        {
            await channel.QueueDeclare(queue).ToTask().Within();
        }

        await channel.QueueBind("d-red", "d", "red").ToTask().Within();
        await channel.QueueBind("d-blue", "d", "blue").ToTask().Within();
        await channel.QueueBind("f-1", "f", "ignored").ToTask().Within();
        await channel.QueueBind("f-2", "f").ToTask().Within();
        await channel.QueueBind("t-kern", "t", "kern.*").ToTask().Within();
        await channel.QueueBind("t-all", "t", "#").ToTask().Within();
        await channel.QueueBind("h-all", "h", arguments: new FieldTable { ["x-match"] = "all", ["format"] = "pdf", ["type"] = "report" }).ToTask().Within();
        await channel.QueueBind("h-any", "h", arguments: new FieldTable { ["x-match"] = "any", ["format"] = "pdf", ["type"] = "report" }).ToTask().Within();

        await channel.Publish("d", "red", "red").ToTask().Within();
        await channel.Publish("f", "whatever", "broadcast").ToTask().Within();
        await channel.Publish("t", "kern.critical", "kernel").ToTask().Within();
        await channel.Publish("t", "user.info", "user").ToTask().Within();
        await channel.Publish("h", "", "pdf report", new BasicProperties { Headers = new FieldTable { ["format"] = "pdf", ["type"] = "report" } }).ToTask().Within();
        await channel.Publish("h", "", "pdf log", new BasicProperties { Headers = new FieldTable { ["format"] = "pdf", ["type"] = "log" } }).ToTask().Within();
        await channel.Publish("h", "", "zip log", new BasicProperties { Headers = new FieldTable { ["format"] = "zip", ["type"] = "log" } }).ToTask().Within();

        Assert.Equal(["red"], await Drain(channel, "d-red"));
        Assert.Empty(await Drain(channel, "d-blue"));
        Assert.Equal(["broadcast"], await Drain(channel, "f-1"));
        Assert.Equal(["broadcast"], await Drain(channel, "f-2"));
        Assert.Equal(["kernel"], await Drain(channel, "t-kern"));
        Assert.Equal(["kernel", "user"], await Drain(channel, "t-all"));
        Assert.Equal(["pdf report"], await Drain(channel, "h-all"));
        Assert.Equal(["pdf report", "pdf log"], await Drain(channel, "h-any"));
    }

    [Fact]
    public async Task AnInternalExchange_CannotBePublishedToDirectly_403_ButRoutesWhatIsBoundToIt()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.ExchangeDeclare("inside", "fanout", isInternal: true).ToTask().Within();
        await channel.ExchangeDeclare("front", "direct").ToTask().Within();
        await channel.ExchangeBind("inside", "front", "in").ToTask().Within();
        await channel.QueueDeclare("behind").ToTask().Within();
        await channel.QueueBind("behind", "inside").ToTask().Within();

        var refused = await Assert.ThrowsAsync<AmqpChannelException>(() => channel.Publish("inside", "", "direct").ToTask().Within());

        Assert.Equal(403, refused.ReplyCode);
        Assert.Equal(60, refused.ClassId);
        await channel.Publish("front", "in", "via front", mandatory: true).ToTask().Within();
        Assert.Equal(["via front"], await Drain(channel, "behind"));
    }

    [Fact]
    public async Task ExchangeToExchangeBindings_RouteUntilUnbound()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.ExchangeDeclare("source", "topic").ToTask().Within();
        await channel.ExchangeDeclare("destination", "fanout").ToTask().Within();
        await channel.QueueDeclare("sink").ToTask().Within();
        await channel.QueueBind("sink", "destination").ToTask().Within();
        await channel.ExchangeBind("destination", "source", "a.*").ToTask().Within();

        await channel.Publish("source", "a.b", "bound", mandatory: true).ToTask().Within();
        await channel.ExchangeUnbind("destination", "source", "a.*").ToTask().Within();
        var unrouted = await Assert.ThrowsAsync<AmqpPublishException>(() => channel.Publish("source", "a.b", "unbound", mandatory: true).ToTask().Within());

        Assert.True(unrouted.Returned);
        Assert.Equal(["bound"], await Drain(channel, "sink"));
    }

    [Fact]
    public async Task EveryBasicProperty_RoundTripsThroughTheBroker()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("props").ToTask().Within();
        var timestamp = new AmqpTimestamp(1_700_000_000);
        var sent = new BasicProperties
        {
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            Headers = new FieldTable
            {
                ["text"] = "héllo",
                ["int"] = 42,
                ["long"] = 1L << 40,
                ["bool"] = true,
                ["double"] = 2.5,
                ["bytes"] = new byte[] { 1, 2, 3 },
                ["list"] = new List<object?> { "a", 1 },
                ["table"] = new FieldTable { ["nested"] = "yes" },
                ["time"] = timestamp,
                ["none"] = null,
            },
            DeliveryMode = 2,
            Priority = 3,
            CorrelationId = "corr-1",
            ReplyTo = "replies",
            Expiration = "60000",
            MessageId = "msg-1",
            Timestamp = timestamp,
            Type = "order.created",
            UserId = "guest",
            AppId = "tests",
            ClusterId = "cluster-a",
        };

        await channel.Publish("", "props", "{}", sent).ToTask().Within();
        var got = (await channel.Get("props", autoAck: true).ToTask().Within())!;

        var p = got.Properties;
        Assert.Equal("application/json", p.ContentType);
        Assert.Equal("utf-8", p.ContentEncoding);
        Assert.Equal((byte)2, p.DeliveryMode);
        Assert.Equal((byte)3, p.Priority);
        Assert.Equal("corr-1", p.CorrelationId);
        Assert.Equal("replies", p.ReplyTo);
        Assert.Equal("60000", p.Expiration);
        Assert.Equal("msg-1", p.MessageId);
        Assert.Equal(timestamp, p.Timestamp);
        Assert.Equal("order.created", p.Type);
        Assert.Equal("guest", p.UserId);
        Assert.Equal("tests", p.AppId);
        Assert.Equal("cluster-a", p.ClusterId);
        var headers = p.Headers!;
        Assert.Equal("héllo", headers["text"]);
        Assert.Equal(42, headers["int"]);
        Assert.Equal(1L << 40, headers["long"]);
        Assert.Equal(true, headers["bool"]);
        Assert.Equal(2.5, headers["double"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, headers["bytes"]);
        Assert.Equal(new List<object?> { "a", 1 }, headers["list"]);
        Assert.Equal("yes", Assert.IsType<FieldTable>(headers["table"])["nested"]);
        Assert.Equal(timestamp, headers["time"]);
        Assert.True(headers.ContainsKey("none"));
        Assert.Null(headers["none"]);
        Assert.Equal("{}", got.BodyText);
    }

    [Fact]
    public async Task NackAndReject_RequeueOrDrop()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("settle").ToTask().Within();
        await channel.Publish("", "settle", "nacked").ToTask().Within();

        var first = (await channel.Get("settle").ToTask().Within())!;
        Assert.False(first.Redelivered);
        await first.Nack(requeue: true).ToTask().Within();
        var again = (await channel.Get("settle").ToTask().Within())!;
        Assert.Equal("nacked", again.BodyText);
        Assert.True(again.Redelivered);
        await again.Reject(requeue: true).ToTask().Within();
        var third = (await channel.Get("settle").ToTask().Within())!;
        Assert.True(third.Redelivered);
        await third.Reject(requeue: false).ToTask().Within();
        Assert.Null(await channel.Get("settle").ToTask().Within());

        await channel.Publish("", "settle", "dropped").ToTask().Within();
        await (await channel.Get("settle").ToTask().Within())!.Nack(requeue: false).ToTask().Within();
        Assert.Null(await channel.Get("settle").ToTask().Within());
    }

    [Fact]
    public async Task AMultipleAck_SettlesEveryEarlierDelivery_AndOnlyThose()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("batch").ToTask().Within();
        foreach (var body in new[] { "m1", "m2", "m3" })
        {
            await channel.Publish("", "batch", body).ToTask().Within();
        }

        var got = new List<AmqpDelivery>();
        for (var i = 0; i < 3; i++)
        {
            got.Add((await channel.Get("batch").ToTask().Within())!);
        }

        await got[1].Ack(multiple: true).ToTask().Within();
        // Whatever is still unacknowledged goes back ahead of a message published after it (same channel, in order).
        await channel.Recover(requeue: true).ToTask().Within();
        await channel.Publish("", "batch", "marker").ToTask().Within();

        var m3 = (await channel.Get("batch", autoAck: true).ToTask().Within())!;
        Assert.Equal("m3", m3.BodyText);
        Assert.True(m3.Redelivered);
        Assert.Equal("marker", (await channel.Get("batch", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Null(await channel.Get("batch", autoAck: true).ToTask().Within());
    }

    [Fact]
    public async Task BasicRecover_RedeliversTheUnacknowledged_MarkedRedelivered()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("forgotten").ToTask().Within();
        var consumer = channel.Consume("forgotten");
        var seen = new System.Reactive.Subjects.ReplaySubject<AmqpDelivery>();
        using var subscription = consumer.Subscribe(seen);
        await consumer.Started.ToTask().Within();
        await channel.Publish("", "forgotten", "again").ToTask().Within();
        await seen.FirstAsync().ToTask().Within();

        await channel.Recover(requeue: true).ToTask().Within();

        var deliveries = await seen.Take(2).ToList().ToTask().Within();
        Assert.Equal(["again", "again"], deliveries.Select(d => d.BodyText));
        Assert.False(deliveries[0].Redelivered);
        Assert.True(deliveries[1].Redelivered);
        await deliveries[1].Ack().ToTask().Within();
    }

    [Fact]
    public async Task ADeliveryFromBeforeAChannelError_CannotBeAcked_AClientSideError_AndTheChannelGoesOn()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("orphaned").ToTask().Within();
        await channel.Publish("", "orphaned", "requeued by the close").ToTask().Within();
        var got = (await channel.Get("orphaned").ToTask().Within())!;
        await Assert.ThrowsAsync<AmqpChannelException>(() => channel.QueueDeclarePassive("nowhere").ToTask().Within());

        await Assert.ThrowsAsync<AmqpStaleDeliveryException>(() => got.Ack().ToTask().Within());

        // The broker requeued it when the channel closed: it comes again, and acking it now works.
        var again = await channel.Consume("orphaned").FirstAsync().ToTask().Within();
        Assert.Equal("requeued by the close", again.BodyText);
        Assert.True(again.Redelivered);
        await again.Ack().ToTask().Within();
    }

    [Fact]
    public async Task Transactions_CommitPublishes_AndRollbackDropsThem()
    {
        var channel = _connection.CreateChannel();
        var reader = _connection.CreateChannel();
        await channel.QueueDeclare("tx").ToTask().Within();
        await channel.TxSelect().ToTask().Within();

        await channel.Publish("", "tx", "rolled back").ToTask().Within();
        await channel.TxRollback().ToTask().Within();
        Assert.Null(await reader.Get("tx", autoAck: true).ToTask().Within());

        await channel.Publish("", "tx", "committed").ToTask().Within();
        Assert.Equal((uint)0, (await reader.QueueDeclarePassive("tx").ToTask().Within()).MessageCount);
        await channel.TxCommit().ToTask().Within();
        Assert.Equal("committed", (await reader.Get("tx", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Null(await reader.Get("tx", autoAck: true).ToTask().Within());
    }

    [Fact]
    public async Task AConsumersStream_EndsWithConsumerCancelled_WhenItsQueueIsDeleted()
    {
        var channel = _connection.CreateChannel();
        await channel.QueueDeclare("doomed").ToTask().Within();
        var consumer = channel.Consume("doomed");
        var stream = consumer.ToList().ToTask();
        await consumer.Started.ToTask().Within();

        await _connection.CreateChannel().QueueDelete("doomed").ToTask().Within();

        var cancelled = await Assert.ThrowsAsync<AmqpConsumerCancelledException>(() => stream.Within());
        Assert.Equal(consumer.Tag, cancelled.ConsumerTag);
        Assert.Equal("again", (await channel.QueueDeclare("again").ToTask().Within()).Name);
    }

    [Fact]
    public async Task AConsumer_ReadsAsAnAsyncStream()
    {
        var channel = _connection.CreateChannel();
        await channel.QueueDeclare("stream").ToTask().Within();
        await channel.Qos(5).ToTask().Within();
        var consumer = channel.Consume("stream");
        using var cancel = new CancellationTokenSource(Guard.Timeout);
        var reading = Task.Run(async () =>
        {
            var bodies = new List<string>();
            await foreach (var delivery in consumer.ReadAllAsync(cancellationToken: cancel.Token))
            {
                bodies.Add(delivery.BodyText);
                await delivery.Ack().ToTask();
                if (bodies.Count == 20)
                {
                    break;
                }
            }

            return bodies;
        });
        await consumer.Started.ToTask().Within();

        for (var i = 0; i < 20; i++)
        {
            _ = channel.Publish("", "stream", $"item {i}");
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"item {i}"), await reading.Within());
    }

    // In order from the delivery callback, a turn's acks leave as one multiple ack (AckCoalescer); from many threads
    // at once they arrive out of order and partly go alone. Either way the broker must end up with nothing unacked.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Acks_FromManyThreadsAtOnce_OrInOrder_AllSettle(bool manyThreads)
    {
        const int count = 400;
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("parallel").ToTask().Within();
        await channel.Qos(50).ToTask().Within();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => channel.Publish("", "parallel", $"m{i}").ToTask())).Within();
        var consumer = channel.Consume("parallel");
        var acks = new List<Task>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = consumer.Subscribe(delivery =>
        {
            lock (acks)
            {
                // Prefetch 50: the broker sends more only as these acks, made on pool threads at once, arrive.
                acks.Add(manyThreads ? Task.Run(() => delivery.Ack().ToTask()) : delivery.Ack().ToTask());
                if (acks.Count == count)
                {
                    all.SetResult();
                }
            }
        });

        await all.Task.Within();
        await Task.WhenAll(acks).Within();
        subscription.Dispose();

        // Nothing is left unacknowledged: a recover puts nothing back ahead of a later message.
        await channel.Recover(requeue: true).ToTask().Within();
        await channel.Publish("", "parallel", "marker").ToTask().Within();
        Assert.Equal(1u, (await channel.QueueDeclarePassive("parallel").ToTask().Within()).MessageCount);
        Assert.Equal("marker", (await channel.Get("parallel", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Null(await channel.Get("parallel", autoAck: true).ToTask().Within());
    }

    [Fact]
    public async Task ConsumesAndCancels_FollowedAtOnceByOtherMethods_AreAllAnswered()
    {
        // RabbitMQ answers basic.consume and basic.cancel from the queue's process: the reply of a method sent just
        // after them on the channel may come first.
        var channel = _connection.CreateChannel();
        await channel.QueueDeclare("churn").ToTask().Within();
        for (var round = 0; round < 100; round++)
        {
            var consumer = channel.Consume("churn");
            var subscription = consumer.Subscribe(_ => { });
            var during = channel.QueueDeclarePassive("churn").ToTask();
            await consumer.Started.ToTask().Within();
            await during.Within();
            subscription.Dispose();
            Assert.Equal("churn", (await channel.QueueDeclarePassive("churn").ToTask().Within()).Name);
        }

        Assert.Equal((uint)0, (await channel.QueueDeclarePassive("churn").ToTask().Within()).ConsumerCount);
    }

    private static async Task<List<string>> Drain(AmqpChannel channel, string queue)
    {
        var bodies = new List<string>();
        while (await channel.Get(queue, autoAck: true).ToTask().Within() is { } got)
        {
            bodies.Add(got.BodyText);
        }

        return bodies;
    }
}

/// <summary>The broker's resource alarm on a broker of its own: connection.blocked holds publishes until it clears.</summary>
[Collection("rabbitmq-own")]
[Trait("Category", "Broker")]
public sealed class AmqpBlockedTests(OwnRabbitMqFixture fixture) : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private AmqpConnection _connection = null!;
    private string _vhost = null!;

    public async Task InitializeAsync()
    {
        (_vhost, var url) = await fixture.NewVhostAsync();
        _connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, RecoveryOptions.Fast(url)).Within();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task AMemoryAlarm_BlocksTheConnection_PublishesWaitUntilItClears_ThenAllSettle()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("held").ToTask().Within();
        await using var bystander = await AmqpConnection.ConnectAsync(_reactor.Reactor, _connection.Options).Within();
        var blocked = _connection.BlockedChanges.Where(reason => reason is not null).FirstAsync().ToTask();
        var unblocked = _connection.BlockedChanges.SkipWhile(reason => reason is null).Where(reason => reason is null).FirstAsync().ToTask();

        await fixture.Broker.RunCtlAsync("set_vm_memory_high_watermark", "0.000001").Within();
        try
        {
            // The broker blocks a connection when it next publishes, and says so (connection.blocked).
            var first = channel.Publish("", "held", "first").ToTask();
            Assert.Contains("memory", await blocked.Within(), StringComparison.OrdinalIgnoreCase);
            Assert.NotNull(_connection.BlockedReason);
            var publishes = Enumerable.Range(0, 50).Select(i => channel.Publish("", "held", $"m{i}").ToTask()).ToArray();
            // A round trip of a connection that does not publish (not blocked) completes; the publishes wait.
            await bystander.CreateChannel().ExchangeDeclarePassive("amq.direct").ToTask().Within();
            Assert.DoesNotContain(publishes, p => p.IsCompleted);

            await fixture.Broker.RunCtlAsync("set_vm_memory_high_watermark", "0.4").Within();

            Assert.Null(await unblocked.Within());
            await Task.WhenAll([first, .. publishes]).Within();
            Assert.Null(_connection.BlockedReason);
            Assert.Equal((uint)51, (await channel.QueueDeclarePassive("held").ToTask().Within()).MessageCount);
        }
        finally
        {
            await fixture.Broker.RunCtlAsync("set_vm_memory_high_watermark", "0.4");
        }
    }

    [Fact]
    public async Task ABlockedConnectionLost_TheNewConnectionStartsUnblocked_AndTheHeldPublishesGoOutOnIt()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("held").ToTask().Within();
        var blocked = _connection.BlockedChanges.Where(reason => reason is not null).FirstAsync().ToTask();
        var unblocked = _connection.BlockedChanges.SkipWhile(reason => reason is null).Where(reason => reason is null).FirstAsync().ToTask();
        var recovered = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();

        await fixture.Broker.RunCtlAsync("set_vm_memory_high_watermark", "0.000001").Within();
        try
        {
            var first = channel.Publish("", "held", "first").ToTask();
            await blocked.Within();
            var held = Enumerable.Range(0, 20).Select(i => channel.Publish("", "held", $"m{i}").ToTask()).ToArray();

            await fixture.Broker.RunCtlAsync("close_all_connections", "-p", _vhost, "test").Within();

            // The alarm is still on, but the lost connection's block went with it.
            Assert.Null(await unblocked.Within());
            await recovered.Within();
            await fixture.Broker.RunCtlAsync("set_vm_memory_high_watermark", "0.4").Within();

            // Held publishes never reached the broker: they went out on the new connection.
            await Task.WhenAll(held).Within();
            var firstOutcome = await Record.ExceptionAsync(() => first.Within());
            if (firstOutcome is not null)
            {
                Assert.True(Assert.IsType<AmqpConnectionException>(firstOutcome).MayHaveExecuted);
            }

            // The first was written; if its confirm was lost with the connection, it may or may not be there.
            Assert.InRange((await channel.QueueDeclarePassive("held").ToTask().Within()).MessageCount, firstOutcome is null ? 21u : 20u, 21u);
        }
        finally
        {
            await fixture.Broker.RunCtlAsync("set_vm_memory_high_watermark", "0.4");
        }
    }
}
