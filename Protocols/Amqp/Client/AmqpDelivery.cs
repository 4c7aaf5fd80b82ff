using System.Reactive;

namespace ReactiveKv.Amqp;

/// <summary>
/// A message the broker delivered to a consumer, or handed out by <see cref="AmqpChannel.Get"/>. Ack, nack or reject
/// it from any thread; after a connection loss that is refused client-side (<see cref="AmqpStaleDeliveryException"/>)
/// instead of killing the channel, since the broker has already requeued it.
/// </summary>
public sealed class AmqpDelivery
{
    internal AmqpDelivery(AmqpChannel channel, long epoch, ulong deliveryTag, bool redelivered, string exchange, string routingKey, BasicProperties properties, byte[] body, string? consumerTag, uint? messageCount)
    {
        Channel = channel;
        Epoch = epoch;
        DeliveryTag = deliveryTag;
        Redelivered = redelivered;
        Exchange = exchange;
        RoutingKey = routingKey;
        Properties = properties;
        Body = body;
        ConsumerTag = consumerTag;
        MessageCount = messageCount;
    }

    /// <summary>The channel it came on; acks go back there.</summary>
    public AmqpChannel Channel { get; }

    /// <summary>The broker's tag for it on its channel.</summary>
    public ulong DeliveryTag { get; }

    /// <summary>True when it was delivered before and not acknowledged.</summary>
    public bool Redelivered { get; }

    /// <summary>The exchange it was published to.</summary>
    public string Exchange { get; }

    /// <summary>The routing key it was published with.</summary>
    public string RoutingKey { get; }

    /// <summary>Its properties and headers.</summary>
    public BasicProperties Properties { get; }

    /// <summary>Its body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The consumer it was delivered to; null for a basic.get.</summary>
    public string? ConsumerTag { get; }

    /// <summary>For a basic.get: how many messages were left in the queue.</summary>
    public uint? MessageCount { get; }

    internal long Epoch { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body.Span);

    /// <summary>Acknowledges it (and, with <paramref name="multiple"/>, every earlier unacknowledged delivery of its channel).</summary>
    public Deferred<Unit> Ack(bool multiple = false) => Channel.Ack(this, multiple);

    /// <summary>Negatively acknowledges it; the broker requeues it unless <paramref name="requeue"/> is false (then dead-letters or drops it).</summary>
    public Deferred<Unit> Nack(bool multiple = false, bool requeue = true) => Channel.Nack(this, multiple, requeue);

    /// <summary>Rejects it; requeued unless <paramref name="requeue"/> is false.</summary>
    public Deferred<Unit> Reject(bool requeue = true) => Channel.Reject(this, requeue);

    /// <inheritdoc />
    public override string ToString() => $"delivery {DeliveryTag} from '{Exchange}' ('{RoutingKey}'), {Body.Length} bytes";
}
