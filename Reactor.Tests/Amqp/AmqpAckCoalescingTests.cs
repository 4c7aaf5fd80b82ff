using System.Buffers;
using System.Threading.Channels;
using System.Reactive;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Clients;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// Single acks settled in delivery order within one loop turn leave as one multiple ack, byte for byte on a string
/// transport; an ack out of order, a nack or a reject keeps the application's order and covers nothing it did not
/// settle.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AmqpAckCoalescingTests : IAsyncLifetime
{
    private readonly VirtualNetwork _net = new();
    private readonly ScriptedAmqpBroker _broker;
    private readonly Channel<AmqpDelivery> _deliveries = System.Threading.Channels.Channel.CreateUnbounded<AmqpDelivery>();
    private string _consumerTag = "";
    private ushort _channel;
    private AmqpChannel? _channelUnderTest;
    private AmqpConnection? _connection;

    public AmqpAckCoalescingTests() => _broker = new ScriptedAmqpBroker(_net);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _net.DisposeAsync();
    }

    [Fact]
    public async Task InOrderAcksOfOneTurn_LeaveAsOneMultipleAck_AndEveryAckSettles()
    {
        await ConsumingAsync(autoAck: false);
        var delivered = await DeliverAsync(1, 5);

        var acks = await OnLoop(() => delivered.Select(d => d.Ack()).ToArray());

        var ack = Assert.IsType<BasicAck>(Assert.Single(ScriptedAmqpBroker.Methods(await _broker.TakeSome())));
        Assert.Equal(5UL, ack.DeliveryTag);
        Assert.True(ack.Multiple);
        foreach (var settled in acks)
        {
            Assert.Equal(Unit.Default, await settled.ToTask().Within());
        }
    }

    [Fact]
    public async Task AnAckOutOfOrder_GoesAlone_AndTheRunAfterItCoversOnlyWhatWasAcked()
    {
        await ConsumingAsync(autoAck: false);
        var d = await DeliverAsync(1, 4);

        // 2 first (not the oldest: written as it is), then 1 (held), 3 (held, 2 is settled), 4 left unacked.
        await OnLoop(() => new[] { d[1].Ack(), d[0].Ack(), d[2].Ack() });

        var sent = ScriptedAmqpBroker.Methods(await _broker.TakeSome()).Cast<BasicAck>().Select(a => (a.DeliveryTag, a.Multiple)).ToArray();
        Assert.Equal([(2UL, false), (3UL, true)], sent);

        // 4 is the oldest now: alone in its turn, it goes out as the single ack the application sent.
        await OnLoop(() => d[3].Ack());
        var last = Assert.IsType<BasicAck>(Assert.Single(ScriptedAmqpBroker.Methods(await _broker.TakeSome())));
        Assert.Equal((4UL, false), (last.DeliveryTag, last.Multiple));
    }

    [Fact]
    public async Task ANackOrRejectBetweenAcks_EndsTheRun_AndKeepsTheOrder()
    {
        await ConsumingAsync(autoAck: false);
        var d = await DeliverAsync(1, 5);

        await OnLoop(() => new[] { d[0].Ack(), d[1].Ack(), d[2].Nack(requeue: false), d[3].Ack(), d[4].Reject() });

        var sent = ScriptedAmqpBroker.Methods(await _broker.TakeSome());
        Assert.Collection(
            sent,
            m => Assert.Equal((2UL, true), (((BasicAck)m).DeliveryTag, ((BasicAck)m).Multiple)),
            m => Assert.Equal((3UL, false, false), (((BasicNack)m).DeliveryTag, ((BasicNack)m).Multiple, ((BasicNack)m).Requeue)),
            m => Assert.Equal((4UL, false), (((BasicAck)m).DeliveryTag, ((BasicAck)m).Multiple)),
            m => Assert.Equal(5UL, ((BasicReject)m).DeliveryTag));
    }

    [Fact]
    public async Task AnAckHeldWhenTheConnectionDrops_FailsAsStale_AndIsNeverWritten()
    {
        await ConsumingAsync(autoAck: false);
        var d = await DeliverAsync(1, 2);

        var acks = await OnLoop(() =>
        {
            var settling = new[] { d[0].Ack(), d[1].Ack() };
            _net.Connector.Drop();
            return settling;
        });

        foreach (var ack in acks)
        {
            await Assert.ThrowsAsync<AmqpStaleDeliveryException>(() => ack.ToTask().Within());
        }

        Assert.DoesNotContain(ScriptedAmqpBroker.Methods(await _broker.Take()), m => m is BasicAck);
    }

    [Fact]
    public async Task AfterARecover_TheOldTagsAreVoid_AndAcksOfTheRedeliveriesCoalesceAgain()
    {
        await ConsumingAsync(autoAck: false);
        await DeliverAsync(1, 2);
        var recovered = _channelUnderTest!.Recover(requeue: true).ToTask();
        Assert.IsType<BasicRecover>(Assert.Single(ScriptedAmqpBroker.Methods(await _broker.TakeSome())));
        await _broker.Receive(FakeAmqpBroker.MethodFrame(_channel, new BasicRecoverOk()));
        await recovered.Within();

        var again = await DeliverAsync(3, 4);
        await OnLoop(() => again.Select(d => d.Ack()).ToArray());

        var ack = Assert.IsType<BasicAck>(Assert.Single(ScriptedAmqpBroker.Methods(await _broker.TakeSome())));
        Assert.Equal((4UL, true), (ack.DeliveryTag, ack.Multiple));
    }

    private Task<T> OnLoop<T>(Func<T> action) => _net.Loop.InvokeAsync(action);

    private async Task ConsumingAsync(bool autoAck)
    {
        _connection = AmqpConnection.Create(_net.Reactor, _broker.Options(heartbeat: 0));
        await _broker.Handshake(heartbeat: 0);
        await _connection.ConnectAsync().Within();
        var channel = _connection.CreateChannel();
        _channel = channel.Number;
        _channelUnderTest = channel;
        var consumer = channel.Consume("q", new AmqpConsumeOptions { AutoAck = autoAck });
        consumer.Subscribe(d => _deliveries.Writer.TryWrite(d), e => _deliveries.Writer.TryComplete(e));
        var sent = ScriptedAmqpBroker.Methods(await _broker.TakeSome());
        Assert.IsType<ChannelOpen>(sent[0]);
        if (sent.Count == 1)
        {
            sent.AddRange(ScriptedAmqpBroker.Methods(await _broker.TakeSome()));
        }

        var consume = Assert.IsType<BasicConsume>(sent[1]);
        _consumerTag = consume.ConsumerTag;
        await _broker.Receive([.. FakeAmqpBroker.MethodFrame(_channel, new ChannelOpenOk()), .. FakeAmqpBroker.MethodFrame(_channel, new BasicConsumeOk { ConsumerTag = consume.ConsumerTag })]);
        await consumer.Started.ToTask().Within();
    }

    // Delivers tags first..last in one read, and waits until the consumer has seen them all.
    private async Task<AmqpDelivery[]> DeliverAsync(ulong first, ulong last)
    {
        var output = new ArrayBufferWriter<byte>();
        for (var t = first; t <= last; t++)
        {
            AmqpFrameWriter.WriteMethod(output, _channel, new BasicDeliver { ConsumerTag = _consumerTag, DeliveryTag = t, RoutingKey = "q" });
            AmqpFrameWriter.WriteContentHeader(output, _channel, 1, null);
            AmqpFrameWriter.WriteBody(output, _channel, new ReadOnlySequence<byte>([(byte)t]), 131072);
        }

        await _broker.Receive(output.WrittenSpan.ToArray());
        var seen = new List<AmqpDelivery>();
        for (var t = first; t <= last; t++)
        {
            seen.Add(await _deliveries.Reader.ReadAsync().AsTask().Within());
        }

        return [.. seen];
    }
}
