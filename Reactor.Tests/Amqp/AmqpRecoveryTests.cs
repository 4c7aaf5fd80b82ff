using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Automatic recovery after the broker closes the connection: topology, renamed queues, consumers, the hook, events.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpRecoveryTests(RabbitMqFixture fixture) : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private string _vhost = null!;
    private AmqpConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _vhost = fixture.VhostName();
        var url = await fixture.Broker.AddVhostAsync(_vhost);
        _connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, RecoveryOptions.Fast(url)).Within();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task AForcedClose_IsRecovered_TheServerNamedQueueIsRenamed_ItsBindingAndConsumerFollow()
    {
        var events = new ReplaySubject<AmqpRecoveryEvent>();
        using var recording = _connection.Recoveries.Subscribe(events);
        var channel = _connection.CreateChannel();
        await channel.ExchangeDeclare("events", "fanout").ToTask().Within();
        var queue = await channel.QueueDeclare(exclusive: true).ToTask().Within();
        await channel.QueueBind(queue.Name, "events").ToTask().Within();
        var consumer = channel.Consume(queue.Name);
        var deliveries = new ReplaySubject<AmqpDelivery>();
        using var consuming = consumer.Subscribe(deliveries);
        await consumer.Started.ToTask().Within();
        await channel.Publish("events", "", "before").ToTask().Within();
        var before = await deliveries.FirstAsync().ToTask().Within();

        var completed = events.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();
        await CloseMyConnectionsAsync();
        await completed.Within();

        Assert.Equal(
            [AmqpRecoveryEventKind.ConnectionLost, AmqpRecoveryEventKind.Reconnected, AmqpRecoveryEventKind.QueueRenamed, AmqpRecoveryEventKind.ConsumerRecovered, AmqpRecoveryEventKind.Completed],
            await events.Take(5).Select(e => e.Kind).ToList().ToTask().Within());
        var lost = await events.FirstAsync().ToTask().Within();
        Assert.Equal(320, Assert.IsType<AmqpBrokerClosedException>(lost.Error).ReplyCode);
        Assert.NotEqual(queue.Name, consumer.Queue);
        Assert.StartsWith("amq.gen-", consumer.Queue, StringComparison.Ordinal);
        Assert.Contains(consumer.Queue, (await events.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.QueueRenamed).ToTask().Within()).Detail, StringComparison.Ordinal);

        // The delivery from before the loss cannot be acked: a client-side error, and the channel is unharmed.
        var stale = await Assert.ThrowsAsync<AmqpStaleDeliveryException>(() => before.Ack().ToTask().Within());
        Assert.Contains("lost", stale.Message, StringComparison.Ordinal);
        await channel.Publish("events", "", "after").ToTask().Within();
        var after = await deliveries.Skip(1).FirstAsync().ToTask().Within();
        Assert.Equal("after", after.BodyText);
        await after.Ack().ToTask().Within();
        Assert.Equal((uint)0, (await channel.QueueDeclarePassive(consumer.Queue).ToTask().Within()).MessageCount);

        // Again: the renamed queue is renamed once more, and its binding and consumer follow it again.
        var renamed = consumer.Queue;
        var again = events.Where(e => e.Kind == AmqpRecoveryEventKind.Completed).Skip(1).FirstAsync().ToTask();
        await CloseMyConnectionsAsync();
        await again.Within();
        Assert.NotEqual(renamed, consumer.Queue);
        await channel.Publish("events", "", "twice").ToTask().Within();
        Assert.Equal("twice", (await deliveries.Skip(2).FirstAsync().ToTask().Within()).BodyText);
    }

    [Fact]
    public async Task TheRecoverySetupHook_RunsOnEveryRecovery_AndItsOperationsGoOutAtOnce()
    {
        var runs = 0;
        string? latest = null;
        _connection.RecoverySetup = async channel =>
        {
            var run = Interlocked.Increment(ref runs);
            await channel.ExchangeDeclare("from-hook", "fanout").ToTask();
            await channel.QueueDeclare($"hook-{run}").ToTask();
            await channel.QueueBind($"hook-{run}", "from-hook").ToTask();
            var own = await channel.QueueDeclare(exclusive: true).ToTask();
            await channel.QueueBind(own.Name, "from-hook").ToTask();
            Volatile.Write(ref latest, own.Name);
        };
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("plain", durable: true).ToTask().Within();

        for (var round = 1; round <= 2; round++)
        {
            var completed = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();
            await CloseMyConnectionsAsync();
            await completed.Within();
            Assert.Equal(round, Volatile.Read(ref runs));
        }

        await channel.Publish("from-hook", "", "hooked", mandatory: true).ToTask().Within();
        Assert.Equal("hooked", (await channel.Get("hook-1", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Equal("hooked", (await channel.Get("hook-2", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Equal("plain", (await channel.QueueDeclarePassive("plain").ToTask().Within()).Name);
        Assert.Equal("hooked", (await channel.Get(Volatile.Read(ref latest)!, autoAck: true).ToTask().Within())!.BodyText);

        // What the hook declares is its own business: recovery does not record it and declare it again, so the
        // hook's server-named queue is not multiplied by each recovery.
        var queues = await fixture.Broker.RunCtlAsync("list_queues", "-p", _vhost, "--no-table-headers", "--silent", "name").Within();
        Assert.Equal([Volatile.Read(ref latest)], queues.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(q => q.StartsWith("amq.gen-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheRecoverySetupHook_RunsBeforeConsumersRecover_SoTheyMayConsumeFromWhatItDeclares()
    {
        // A queue declared elsewhere (not recorded here), gone with the connection; the hook declares it again.
        await using (var other = await AmqpConnection.ConnectAsync(_reactor.Reactor, _connection.Options).Within())
        {
            await other.CreateChannel().QueueDeclare("external", autoDelete: true).ToTask().Within();
        }

        _connection.RecoverySetup = channel => channel.QueueDeclare("external", autoDelete: true).ToTask();
        var events = new ReplaySubject<AmqpRecoveryEvent>();
        using var recording = _connection.Recoveries.Subscribe(events);
        var channel = _connection.CreateChannel();
        var consumer = channel.Consume("external", new AmqpConsumeOptions { AutoAck = true });
        var deliveries = new ReplaySubject<AmqpDelivery>();
        using var consuming = consumer.Subscribe(deliveries);
        await consumer.Started.ToTask().Within();

        var completed = events.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();
        await CloseMyConnectionsAsync();
        await completed.Within();

        Assert.DoesNotContain(await events.TakeWhile(e => e.Kind != AmqpRecoveryEventKind.Completed).ToList().ToTask().Within(), e => e.Kind == AmqpRecoveryEventKind.Failed);
        await channel.Publish("", "external", "still consumed").ToTask().Within();
        Assert.Equal("still consumed", (await deliveries.FirstAsync().ToTask().Within()).BodyText);
    }

    [Fact]
    public async Task ARecoverySetupHookThatFails_IsReported_AndTheRecoveryIsTriedAgain()
    {
        var runs = 0;
        _connection.RecoverySetup = async channel =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                throw new InvalidOperationException("not yet");
            }

            await channel.QueueDeclare("set-up").ToTask();
        };
        var events = new ReplaySubject<AmqpRecoveryEvent>();
        using var recording = _connection.Recoveries.Subscribe(events);
        var completed = events.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();

        await CloseMyConnectionsAsync();
        await completed.Within();

        var failed = await events.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Failed).ToTask().Within();
        Assert.Equal("RecoverySetup", failed.Detail);
        Assert.Equal("not yet", Assert.IsType<InvalidOperationException>(failed.Error).Message);
        Assert.Equal(2, Volatile.Read(ref runs));
        Assert.Equal("set-up", (await _connection.CreateChannel().QueueDeclarePassive("set-up").ToTask().Within()).Name);
    }

    [Fact]
    public async Task OperationsMadeWhileDisconnected_WaitForRecovery_AndRunAfterIt()
    {
        var channel = _connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("later").ToTask().Within();
        var lost = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.ConnectionLost).ToTask();
        var completed = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();

        await CloseMyConnectionsAsync();
        await lost.Within();
        var publish = channel.Publish("", "later", "waited").ToTask();

        await completed.Within();
        await publish.Within();
        Assert.Equal("waited", (await channel.Get("later", autoAck: true).ToTask().Within())!.BodyText);
    }

    private async Task CloseMyConnectionsAsync() =>
        await fixture.Broker.RunCtlAsync("close_all_connections", "-p", _vhost, "test").Within();
}

/// <summary>Recovery from a broker crash (kill -9 and restart) under publish and consume load, on a broker of its own.</summary>
[Collection("rabbitmq-own")]
[Trait("Category", "Broker")]
public sealed class AmqpCrashRecoveryTests(OwnRabbitMqFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan RestartGuard = TimeSpan.FromSeconds(120);
    private readonly ReactorFixture _reactor = new();
    private AmqpConnection _connection = null!;

    public async Task InitializeAsync()
    {
        var (_, url) = await fixture.NewVhostAsync();
        _connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, RecoveryOptions.Fast(url)).Within();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _reactor.DisposeAsync();
        if (!fixture.Broker.IsRunning)
        {
            // A failed test must not leave the next ones without their broker.
            await fixture.Broker.RestartAsync();
        }
    }

    [Fact]
    public async Task KillingTheBrokerUnderLoad_EveryPublishSettles_NoConfirmedMessageIsLost_ConsumersResume()
    {
        var setup = _connection.CreateChannel();
        await setup.QueueDeclare("durable-work", durable: true).ToTask().Within();
        var consuming = _connection.CreateChannel();
        await consuming.Qos(50).ToTask().Within();
        var received = new ConcurrentDictionary<string, int>();
        var staleAcks = 0;
        var ackErrors = new ConcurrentQueue<Exception>();
        var confirmed = new ConcurrentDictionary<string, bool>();
        var everyConfirmedReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishingStopped = false;
        void CheckAllReceived()
        {
            if (Volatile.Read(ref publishingStopped) && confirmed.Keys.All(received.ContainsKey))
            {
                everyConfirmedReceived.TrySetResult();
            }
        }

        var consumer = consuming.Consume("durable-work");
        using var subscription = consumer.Subscribe(delivery =>
        {
            received.AddOrUpdate(delivery.BodyText, 1, (_, n) => n + 1);
            delivery.Ack().Subscribe(_ => { }, error =>
            {
                if (error is AmqpStaleDeliveryException)
                {
                    Interlocked.Increment(ref staleAcks);
                }
                else
                {
                    ackErrors.Enqueue(error);
                }
            });
            CheckAllReceived();
        });
        await consumer.Started.ToTask().Within();

        var publisher = _connection.CreateChannel(confirms: true);
        var outcomes = new ConcurrentDictionary<string, Exception?>();
        var confirmedCount = 0;
        var stop = new CancellationTokenSource();
        var target = 200;
        var load = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishing = Task.Run(async () =>
        {
            var next = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = Enumerable.Range(next, 20).Select(i => $"m{i}").ToArray();
                next += batch.Length;
                await Task.WhenAll(batch.Select(async body =>
                {
                    try
                    {
                        await publisher.Publish("", "durable-work", body, new BasicProperties { DeliveryMode = 2 }).ToTask();
                        confirmed[body] = true;
                        outcomes[body] = null;
                        if (Interlocked.Increment(ref confirmedCount) >= Volatile.Read(ref target))
                        {
                            Volatile.Read(ref load).TrySetResult();
                        }
                    }
                    catch (Exception e)
                    {
                        outcomes[body] = e;
                    }
                }));
            }

            return next;
        });

        await load.Task.Within();
        var lost = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.ConnectionLost).ToTask();
        var recovered = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();
        var consumerBack = _connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.ConsumerRecovered).ToTask();
        Volatile.Write(ref load, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref target, int.MaxValue);
        fixture.Broker.Kill();
        await lost.Within();
        await fixture.Broker.RestartAsync().WaitAsync(RestartGuard);
        await recovered.WaitAsync(RestartGuard);
        Assert.Contains(consumer.Tag, (await consumerBack.Within()).Detail, StringComparison.Ordinal);

        // Publishing goes on after the restart: 200 more confirmed.
        Volatile.Write(ref target, Volatile.Read(ref confirmedCount) + 200);
        if (Volatile.Read(ref confirmedCount) >= Volatile.Read(ref target))
        {
            load.TrySetResult();
        }

        await load.Task.WaitAsync(RestartGuard);
        stop.Cancel();
        var published = await publishing.WaitAsync(RestartGuard);

        // Every publish settled: confirmed, or a typed error saying whether it may have reached the broker.
        Assert.Equal(published, outcomes.Count);
        foreach (var (body, error) in outcomes)
        {
            switch (error)
            {
                case null:
                case AmqpPublishException { Returned: false }:
                    break;
                case ClientConnectionException connection:
                    // MayHaveExecuted tells whether it was written before the loss.
                    Assert.IsType<AmqpConnectionException>(connection);
                    break;
                case OperationTimeoutException timeout:
                    Assert.IsType<AmqpTimeoutException>(timeout);
                    break;
                default:
                    Assert.Fail($"{body} failed with an untyped error: {error}");
                    break;
            }
        }

        Assert.True(outcomes.Values.Count(e => e is null) >= 400, "publishes were confirmed before and after the crash");

        // No confirmed persistent message is lost; the consumer resumed and got them all (some twice, redelivered).
        Volatile.Write(ref publishingStopped, true);
        CheckAllReceived();
        await everyConfirmedReceived.Task.WaitAsync(RestartGuard);
        Assert.All(confirmed.Keys, body => Assert.True(received.ContainsKey(body), body));
        Assert.Empty(ackErrors);
    }

    [Fact]
    public async Task ABrokerThatStopsAnswering_IsFoundDeadByHeartbeats_AndRecoveredOnceItAnswersAgain()
    {
        var (_, url) = await fixture.NewVhostAsync();
        var options = RecoveryOptions.Fast(url) with { Heartbeat = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("beat", durable: true).ToTask().Within();
        var lost = connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.ConnectionLost).ToTask();
        var completed = connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();

        fixture.Broker.Pause();
        try
        {
            Assert.IsType<AmqpHeartbeatException>((await lost.Within()).Error);
        }
        finally
        {
            fixture.Broker.Resume();
        }

        await completed.WaitAsync(RestartGuard);
        await channel.Publish("", "beat", "alive").ToTask().Within();
        Assert.Equal("alive", (await channel.Get("beat", autoAck: true).ToTask().Within())!.BodyText);
    }
}

/// <summary>Options that reconnect quickly, for the recovery tests.</summary>
internal static class RecoveryOptions
{
    public static AmqpOptions Fast(string url) => AmqpOptions.Parse(url) with
    {
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500) },
    };
}
