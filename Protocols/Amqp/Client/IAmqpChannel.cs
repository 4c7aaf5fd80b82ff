using System.Reactive;

namespace ReactiveKv.Amqp;

/// <summary>
/// A channel's operations, for code that should not depend on <see cref="AmqpChannel"/> (and for fakes in its tests).
/// Every operation returns a <see cref="Deferred{T}"/> already on its way and takes an optional
/// <see cref="CancellationToken"/>. A token cancelled before the call sends nothing. One cancelled later fails the
/// operation with <see cref="OperationCanceledException"/>; if the method was still waiting to be written it is never
/// written, but once written it cannot be taken back: the broker may still apply it (a declare, a bind, a publish
/// whose confirm was awaited, an ack), its reply is read in its turn and dropped, and the channel stays open and in
/// step. A cancelled declare or bind is not recorded for recovery. A publish without confirms that was queued at once
/// has nothing left to cancel.
/// </summary>
public interface IAmqpChannel : IAsyncDisposable
{
    /// <summary>The channel number.</summary>
    ushort Number { get; }

    /// <summary>True when publishes are confirmed: each one's Deferred settles on the broker's ack (or fails on nack or return).</summary>
    bool Confirms { get; }

    /// <summary>The prefetch set with <see cref="Qos"/>, applied again whenever the channel reopens.</summary>
    ushort? Prefetch { get; }

    /// <summary>The connection it belongs to.</summary>
    IAmqpConnection Connection { get; }

    /// <summary>Mandatory publishes the broker returned as unroutable; hot, off the loop.</summary>
    IObservable<AmqpReturnedMessage> Returns { get; }

    /// <summary>Declares an exchange (direct, fanout, topic, headers, or a plugin's type).</summary>
    Deferred<Unit> ExchangeDeclare(string exchange, string type, bool durable = false, bool autoDelete = false, bool isInternal = false, FieldTable? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>Checks that an exchange exists (a 404 channel error if not).</summary>
    Deferred<Unit> ExchangeDeclarePassive(string exchange, CancellationToken cancellationToken = default);

    /// <summary>Deletes an exchange (only when unused, if asked).</summary>
    Deferred<Unit> ExchangeDelete(string exchange, bool ifUnused = false, CancellationToken cancellationToken = default);

    /// <summary>Binds exchange <paramref name="destination"/> to <paramref name="source"/> (RabbitMQ's exchange-to-exchange bindings).</summary>
    Deferred<Unit> ExchangeBind(string destination, string source, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>Removes an exchange-to-exchange binding.</summary>
    Deferred<Unit> ExchangeUnbind(string destination, string source, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Declares a queue; an empty name asks the broker to name it (the name is in the result, and is replaced by the
    /// new one after recovery). Arguments: <c>x-message-ttl</c>, <c>x-dead-letter-exchange</c>, <c>x-max-length</c>,
    /// <c>x-max-priority</c>, <c>x-queue-type</c> (quorum)…
    /// </summary>
    Deferred<AmqpQueueInfo> QueueDeclare(string queue = "", bool durable = false, bool exclusive = false, bool autoDelete = false, FieldTable? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>Checks that a queue exists (a 404 channel error if not) and returns its counts.</summary>
    Deferred<AmqpQueueInfo> QueueDeclarePassive(string queue, CancellationToken cancellationToken = default);

    /// <summary>Binds a queue to an exchange.</summary>
    Deferred<Unit> QueueBind(string queue, string exchange, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a queue binding.</summary>
    Deferred<Unit> QueueUnbind(string queue, string exchange, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>Drops every ready message of a queue; returns how many.</summary>
    Deferred<uint> QueuePurge(string queue, CancellationToken cancellationToken = default);

    /// <summary>Deletes a queue (only when unused or empty, if asked); returns how many messages it held.</summary>
    Deferred<uint> QueueDelete(string queue, bool ifUnused = false, bool ifEmpty = false, CancellationToken cancellationToken = default);

    /// <summary>Limits unacknowledged deliveries to this channel's consumers (the consumers' backpressure); kept across reopenings.</summary>
    Deferred<Unit> Qos(ushort prefetchCount, bool global = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a message. Without confirms the Deferred settles once the message is queued for the socket (at once
    /// while less than 1 MiB of publishes waits to be written, else when this one is written: backpressure); with them, on the
    /// broker's ack (a nack or a return of a mandatory publish fails it with <see cref="AmqpPublishException"/>). The
    /// method, header and body frames go out as one unit, from any thread.
    /// </summary>
    Deferred<Unit> Publish(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties? properties = null, bool mandatory = false, CancellationToken cancellationToken = default);

    /// <summary>Publishes a UTF-8 text body.</summary>
    Deferred<Unit> Publish(string exchange, string routingKey, string body, BasicProperties? properties = null, bool mandatory = false, CancellationToken cancellationToken = default);

    /// <summary>A consumer of <paramref name="queue"/>: it starts when first subscribed (see <see cref="AmqpConsumer"/>).</summary>
    AmqpConsumer Consume(string queue, AmqpConsumeOptions? options = null);

    /// <summary>Takes one message from a queue (<c>basic.get</c>); null when it is empty.</summary>
    Deferred<AmqpDelivery?> Get(string queue, bool autoAck = false, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges a delivery (and every earlier one of the channel, with <paramref name="multiple"/>).</summary>
    Deferred<Unit> Ack(AmqpDelivery delivery, bool multiple = false, CancellationToken cancellationToken = default);

    /// <summary>Negatively acknowledges a delivery (RabbitMQ's basic.nack).</summary>
    Deferred<Unit> Nack(AmqpDelivery delivery, bool multiple = false, bool requeue = true, CancellationToken cancellationToken = default);

    /// <summary>Rejects a delivery.</summary>
    Deferred<Unit> Reject(AmqpDelivery delivery, bool requeue = true, CancellationToken cancellationToken = default);

    /// <summary>Asks the broker to redeliver every unacknowledged message of the channel.</summary>
    Deferred<Unit> Recover(bool requeue = true, CancellationToken cancellationToken = default);

    /// <summary>Puts the channel in transaction mode.</summary>
    Deferred<Unit> TxSelect(CancellationToken cancellationToken = default);

    /// <summary>Commits the channel's transaction.</summary>
    Deferred<Unit> TxCommit(CancellationToken cancellationToken = default);

    /// <summary>Rolls back the channel's transaction.</summary>
    Deferred<Unit> TxRollback(CancellationToken cancellationToken = default);
}
