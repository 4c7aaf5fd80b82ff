using System.Globalization;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Amqp;
using ReactiveKv.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.FaultInjection;

/// <summary>
/// The AMQP client against the real RabbitMQ broker of the "rabbitmq" collection, through a <see cref="FaultProxy"/>;
/// each test on a vhost of its own. What reached the broker is counted on a connection of its own, direct to the
/// broker, so the proxy's faults cannot hide or invent a message.
/// </summary>
[Collection("rabbitmq")]
public sealed class FaultProxyAmqpTests(RabbitMqFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // A call's deadline is its operation timeout; the slack only absorbs a loaded machine's scheduling.
    private static readonly TimeSpan Deadline = OperationTimeout + TimeSpan.FromSeconds(4);

    private readonly ReactorFixture _reactor = new();
    private AmqpOptions _direct = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _direct = AmqpOptions.Parse(await fixture.NewVhostAsync(fixture.VhostName(GetType().Name)));
        _proxy = await FaultProxy.StartAsync(_reactor.Reactor, "127.0.0.1", _direct.Port);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task ResetMidFrameUnderConfirmedPublishes_EveryCallSettlesTyped_NoConfirmedPublishIsLost_NothingArrivesTwice()
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, Options()).Within();
        var channel = connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("load").ToTask().Within();

        // A confirmed publish per key, its body the key: a confirmed one is on the queue once, one reported as not
        // executed is not there at all, and a key there twice would mean the client published it twice.
        // basic.ack frames are 21 bytes and the handshake some 600: an odd budget cuts an ack (or the handshake) mid-frame.
        var calls = await FaultLoad.RunAsync("pub", 50, k => channel.Publish("", "load", k), () => _proxy.ResetAfterBytes(1001), _proxy.Heal, Deadline);

        output.WriteLine(FaultLoad.Describe(calls));
        var failures = calls.Where(c => !c.Outcome.Success).Select(c => c.Outcome.Error!).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, e => Assert.True(e is AmqpConnectionException or AmqpTimeoutException, e.ToString()));
        Assert.Contains(failures, e => e is AmqpConnectionException { MayHaveExecuted: true });

        // Healed: the client reconnected (recovering its confirm channel) and the last round went through whole.
        Assert.All(calls.Where(c => FaultLoad.InLastRound(c.Key, "pub")), c => Assert.True(c.Outcome.Success, c.Outcome.Error?.ToString()));
        Assert.True(_proxy.ConnectionsAccepted > 1);

        var onQueue = await DrainDirectAsync("load");
        output.WriteLine($"{onQueue.Values.Sum()} messages on the queue, {calls.Count(c => c.Outcome.Success)} confirmed");
        Assert.All(onQueue.Keys, k => Assert.StartsWith("pub:", k, StringComparison.Ordinal));
        FaultLoad.AssertStored(calls, k => onQueue.TryGetValue(k, out var n) ? n.ToString(CultureInfo.InvariantCulture) : null, done: "1", untouched: null);
    }

    [Fact]
    public async Task LatencyAndJitterUnderMixedLoad_EveryCallSettles_AndEveryMessageIsConsumedOnce()
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, Options() with { OperationTimeout = TimeSpan.FromSeconds(20) }).Within();
        var publisher = connection.CreateChannel(confirms: true);
        var consuming = connection.CreateChannel();
        await publisher.QueueDeclare("mixed").ToTask().Within();
        await publisher.QueueDeclare("rpc").ToTask().Within();
        await publisher.QueueDeclare("polled").ToTask().Within();
        await consuming.Qos(50).ToTask().Within();

        // An RPC server on a connection of its own, direct to the broker: only the client's side is degraded.
        await using var serverConnection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _direct).Within();
        var server = serverConnection.CreateChannel();
        using var serving = server.Consume("rpc").Subscribe(request =>
        {
            server.Publish("", request.Properties.ReplyTo!, request.BodyText.ToUpperInvariant(), new BasicProperties { CorrelationId = request.Properties.CorrelationId });
            request.Ack();
        });
        await using var rpc = await AmqpRpcClient.CreateAsync(connection).Within();

        _proxy.Latency = TimeSpan.FromMilliseconds(20);
        _proxy.Jitter = TimeSpan.FromMilliseconds(15);

        var consumed = new List<string>();
        var allConsumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var consumer = consuming.Consume("mixed").Subscribe(delivery =>
        {
            delivery.Ack();
            lock (consumed)
            {
                consumed.Add(delivery.BodyText);
                if (consumed.Count == 200)
                {
                    allConsumed.TrySetResult();
                }
            }
        });

        // Confirmed publishes to the consumer, RPCs, and publishes taken back with basic.get, all interleaved.
        var publishes = Enumerable.Range(0, 200).Select(i => publisher.Publish("", "mixed", $"m{i}")).ToList();
        var polled = Enumerable.Range(0, 20).Select(i => publisher.Publish("", "polled", $"p{i}")).ToList();
        var calls = Enumerable.Range(0, 20).Select(i => rpc.Call("", "rpc", $"call{i}")).ToList();
        await Deferred.List(publishes.Concat(polled)).ToTask().Within();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"CALL{i}"), (await Deferred.List(calls).ToTask().Within()).Select(r => r.Value!.BodyText));
        var gets = await Deferred.List(Enumerable.Range(0, 20).Select(_ => publisher.Get("polled", autoAck: true))).ToTask().Within();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"p{i}"), gets.Select(g => g.Value?.BodyText));

        await allConsumed.Task.Within();
        lock (consumed)
        {
            Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), consumed);
        }

        Assert.Null(await publisher.Get("mixed").ToTask().Within());
        Assert.Equal(1, _proxy.ConnectionsAccepted);
    }

    [Fact]
    public async Task BlackHole_CallsFailWithTheTypedTimeoutWithinTheirDeadline_NothingReachesTheBroker_AndAfterHealingTheClientIsBack()
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, Options()).Within();
        var channel = connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("hole").ToTask().Within();

        _proxy.BlackHole = true;
        var publishes = Enumerable.Range(0, 20).Select(i => channel.Publish("", "hole", $"hole:{i}")).ToList();
        var get = channel.Get("hole");
        var outcomes = await Deferred.List(publishes).ToTask().WaitAsync(Deadline);
        Assert.All(outcomes, o => Assert.IsType<AmqpTimeoutException>(o.Error));
        Assert.IsType<AmqpTimeoutException>((await Deferred.List([get]).ToTask().WaitAsync(Deadline))[0].Error);

        // The client may still believe in its connection (heartbeats are a minute apart); cutting it makes it
        // reconnect through the healed proxy.
        _proxy.Heal();
        _proxy.CutAll();
        await FaultLoad.RetryUntilConnected(() => channel.Publish("", "hole", "after"), e => e is AmqpConnectionException or AmqpTimeoutException);
        Assert.True(_proxy.ConnectionsAccepted >= 2);

        // The black hole forwarded nothing: none of the timed-out publishes reached the queue.
        var onQueue = await DrainDirectAsync("hole");
        Assert.Equal(["after"], onQueue.Keys);
    }

    [Fact]
    public async Task OneByteSegmentsWithLatency_FramesAreDecodedCorrectly()
    {
        _proxy.SliceWrites = true;
        _proxy.Latency = TimeSpan.FromMilliseconds(20);
        _proxy.Jitter = TimeSpan.FromMilliseconds(10);

        // The smallest frame_max: a 10 KiB body comes back as three body frames, each one byte at a time.
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, Options() with { OperationTimeout = TimeSpan.FromSeconds(60), ConnectTimeout = TimeSpan.FromSeconds(60), FrameMax = 4096 }).Within();
        var channel = connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("slices").ToTask().Within();

        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26)))));
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = Enumerable.Range(0, 10 << 10).Select(i => (byte)(i * 7)).ToArray();
        var properties = new BasicProperties { CorrelationId = "c-1", Headers = new FieldTable { ["h"] = "v" } };
        await Deferred.List([channel.Publish("", "slices", text, properties), channel.Publish("", "slices", binary), channel.Publish("", "slices", large)]).ToTask().Within();

        var first = await channel.Get("slices").ToTask().Within();
        Assert.NotNull(first);
        Assert.Equal(text, first.Body.ToArray());
        Assert.Equal("c-1", first.Properties.CorrelationId);
        Assert.Equal("v", first.Properties.Headers?["h"]?.ToString());
        await first.Ack().ToTask().Within();
        Assert.Equal(binary, (await channel.Get("slices", autoAck: true).ToTask().Within())?.Body.ToArray());
        Assert.Equal(large, (await channel.Get("slices", autoAck: true).ToTask().Within())?.Body.ToArray());
        Assert.Null(await channel.Get("slices").ToTask().Within());

        Assert.True(_proxy.WritesDownstream >= _proxy.BytesDownstream);
        Assert.True(_proxy.BytesDownstream > 300 + 256 + (10 << 10));
        Assert.Equal(1, _proxy.ConnectionsAccepted);
    }

    private AmqpOptions Options() => _direct with
    {
        Port = _proxy.Port,
        OperationTimeout = OperationTimeout,
        ConnectTimeout = OperationTimeout,
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };

    /// <summary>Takes every message off <paramref name="queue"/> over a direct connection; returns each body with how often it was there.</summary>
    private async Task<Dictionary<string, int>> DrainDirectAsync(string queue)
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _direct).Within();
        var channel = connection.CreateChannel();
        var expected = (await channel.QueueDeclarePassive(queue).ToTask().Within()).MessageCount;
        var counts = new Dictionary<string, int>();
        while (await channel.Get(queue, autoAck: true).ToTask().Within() is { } message)
        {
            counts[message.BodyText] = counts.GetValueOrDefault(message.BodyText) + 1;
        }

        Assert.Equal(expected, (uint)counts.Values.Sum());
        return counts;
    }
}
