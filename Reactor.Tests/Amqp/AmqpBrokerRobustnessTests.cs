using System.Diagnostics;
using System.Reactive.Linq;
using ReactiveKv.Amqp;
using ReactiveKv.Amqp.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Robustness against the real broker: a frozen (SIGSTOP) broker is detected by heartbeats; big bodies cross frame_max intact.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpBrokerRobustnessTests(RabbitMqFixture fixture) : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _reactor.DisposeAsync();

    [Fact]
    public async Task ABrokerStoppedWithSigstop_FailsTheConnectionWithAMissedHeartbeat_WithinTwoIntervals_ThenItRecovers()
    {
        // A broker of its own: pausing the shared one would stall every other test of the collection.
        await using var broker = await RabbitMqBroker.StartAsync();
        var options = AmqpOptions.Parse(broker.Url) with
        {
            Heartbeat = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            OperationTimeout = TimeSpan.FromSeconds(20),
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500), Jitter = 0 },
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, options).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("before", durable: true).ToTask().Within();

        broker.Pause();
        TimeSpan detected;
        AmqpConnectionException error;
        try
        {
            var clock = Stopwatch.StartNew();
            var waiting = channel.QueueDeclare("during").ToTask();
            error = await Assert.ThrowsAsync<AmqpConnectionException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(15)));
            detected = clock.Elapsed;
        }
        finally
        {
            broker.Resume();
        }

        var heartbeat = Assert.IsType<AmqpHeartbeatException>(error.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(1), heartbeat.Interval);
        // Two intervals of silence, checked every half interval: given up after 2 to 2.5 s of silence on the loop's
        // clock; the wall-clock bound is only a guard (a loaded machine runs the timer late).
        Assert.InRange(heartbeat.Silence, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3.5));
        Assert.True(detected < TimeSpan.FromSeconds(8), $"the missed heartbeats were noticed after {detected}");
        Assert.Equal("after", (await channel.QueueDeclare("after").ToTask().Within()).Name);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task A16MiBBody_PublishedWithFrameMax131072_IsConsumedIntact()
    {
        var url = await fixture.NewVhostAsync();
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, AmqpOptions.Parse(url) with { FrameMax = 131_072 }).Within();
        var channel = connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("big").ToTask().Within();
        var body = new byte[16 << 20];
        new Random(13).NextBytes(body);
        var consumer = channel.Consume("big", new AmqpConsumeOptions { AutoAck = true });
        var first = consumer.FirstAsync().ToTask();
        await consumer.Started.ToTask().Within();

        await channel.Publish("", "big", body, new BasicProperties { ContentType = "application/octet-stream" }).ToTask().Within();
        var delivery = await first.Within();

        Assert.Equal(body.Length, delivery.Body.Length);
        Assert.True(body.AsSpan().SequenceEqual(delivery.Body.Span), "the body came back different");
        Assert.Equal("application/octet-stream", delivery.Properties.ContentType);
        var frameMax = await fixture.Broker.RunCtlAsync("list_connections", "-q", "frame_max");
        Assert.Contains("131072", frameMax);
    }

    [Fact]
    public async Task AConsumerBusyForThreeHeartbeatIntervals_DoesNotCostTheConnection()
    {
        var url = await fixture.NewVhostAsync();
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, AmqpOptions.Parse(url) with { Heartbeat = TimeSpan.FromSeconds(1) }).Within();
        var lost = 0;
        using var watch = connection.Recoveries.Subscribe(e => Interlocked.Increment(ref lost));
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("busy").ToTask().Within();
        var handled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var busy = channel.Consume("busy").Subscribe(delivery =>
        {
            // The application's own work, blocking its thread far longer than two heartbeat intervals: its callbacks
            // run off the loop, which keeps sending and checking heartbeats meanwhile.
            Thread.Sleep(TimeSpan.FromSeconds(3.5));
            delivery.Ack();
            handled.TrySetResult(delivery.BodyText);
        });

        await channel.Publish("", "busy", "slow work").ToTask().Within();

        Assert.Equal("slow work", await handled.Task.Within());
        Assert.Equal("after", (await channel.QueueDeclare("after").ToTask().Within()).Name);
        Assert.True(connection.IsConnected);
        Assert.Equal(0, Volatile.Read(ref lost));
    }
}
