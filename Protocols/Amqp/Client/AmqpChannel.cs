using System.Collections.Concurrent;
using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;

namespace ReactiveKv.Amqp;

/// <summary>
/// A channel of an <see cref="AmqpConnection"/>: every operation of the exchange, queue, basic, confirm and tx classes,
/// each returning a Deferred already on its way. Safe from any thread: a publish's frames go out as one unit, and a
/// channel's methods are sent in the order they were called. The channel opens on first use and again after a
/// channel error or a reconnect, with its confirm mode and prefetch.
/// </summary>
public sealed class AmqpChannel : IAsyncDisposable
{
    private readonly AmqpConnection _connection;
    private readonly Subject<AmqpReturnedMessage> _returns = new();
    private BasicPublish? _lastPublish;

    internal AmqpChannel(AmqpConnection connection, ushort number, bool confirms)
    {
        _connection = connection;
        Number = number;
        Confirms = confirms;
        Returns = _returns.ObserveOffLoop();
    }

    /// <summary>The channel number.</summary>
    public ushort Number { get; }

    /// <summary>True when publishes are confirmed: each one's Deferred settles on the broker's ack (or fails on nack or return).</summary>
    public bool Confirms { get; }

    /// <summary>The prefetch set with <see cref="Qos"/>, applied again whenever the channel reopens.</summary>
    public ushort? Prefetch { get; private set; }

    /// <summary>The connection it belongs to.</summary>
    public AmqpConnection Connection => _connection;

    /// <summary>Mandatory publishes the broker returned as unroutable; hot, off the loop.</summary>
    public IObservable<AmqpReturnedMessage> Returns { get; }

    internal ConcurrentDictionary<string, AmqpConsumer> Consumers { get; } = new();

    /// <summary>Declares an exchange (direct, fanout, topic, headers, or a plugin's type).</summary>
    public Deferred<Unit> ExchangeDeclare(string exchange, string type, bool durable = false, bool autoDelete = false, bool isInternal = false, FieldTable? arguments = null)
    {
        var declare = new ExchangeDeclare { Exchange = exchange, Type = type, Durable = durable, AutoDelete = autoDelete, Internal = isInternal, Arguments = arguments };
        return Call(declare).Then(_ => Recorded(() => _connection.Topology.RecordExchange(declare)));
    }

    /// <summary>Checks that an exchange exists (a 404 channel error if not).</summary>
    public Deferred<Unit> ExchangeDeclarePassive(string exchange) => Call(new ExchangeDeclare { Exchange = exchange, Passive = true }).Then(_ => Unit.Default);

    /// <summary>Deletes an exchange (only when unused, if asked).</summary>
    public Deferred<Unit> ExchangeDelete(string exchange, bool ifUnused = false) =>
        Call(new ExchangeDelete { Exchange = exchange, IfUnused = ifUnused }).Then(_ => Recorded(() => _connection.Topology.RemoveExchange(exchange)));

    /// <summary>Binds exchange <paramref name="destination"/> to <paramref name="source"/> (RabbitMQ's exchange-to-exchange bindings).</summary>
    public Deferred<Unit> ExchangeBind(string destination, string source, string routingKey = "", FieldTable? arguments = null)
    {
        var bind = new ExchangeBind { Destination = destination, Source = source, RoutingKey = routingKey, Arguments = arguments };
        return Call(bind).Then(_ => Recorded(() => _connection.Topology.RecordBinding(bind)));
    }

    /// <summary>Removes an exchange-to-exchange binding.</summary>
    public Deferred<Unit> ExchangeUnbind(string destination, string source, string routingKey = "", FieldTable? arguments = null) =>
        Call(new ExchangeUnbind { Destination = destination, Source = source, RoutingKey = routingKey, Arguments = arguments })
            .Then(_ => Recorded(() => _connection.Topology.RemoveBinding(new ExchangeBind { Destination = destination, Source = source, RoutingKey = routingKey, Arguments = arguments })));

    /// <summary>
    /// Declares a queue; an empty name asks the broker to name it (the name is in the result, and is replaced by the
    /// new one after recovery). Arguments: <c>x-message-ttl</c>, <c>x-dead-letter-exchange</c>, <c>x-max-length</c>,
    /// <c>x-max-priority</c>, <c>x-queue-type</c> (quorum)…
    /// </summary>
    public Deferred<AmqpQueueInfo> QueueDeclare(string queue = "", bool durable = false, bool exclusive = false, bool autoDelete = false, FieldTable? arguments = null)
    {
        var declare = new QueueDeclare { Queue = queue, Durable = durable, Exclusive = exclusive, AutoDelete = autoDelete, Arguments = arguments };
        return Call(declare).Then(reply =>
        {
            var ok = (QueueDeclareOk)reply!;
            _connection.Topology.RecordQueue(declare, ok.Queue);
            return new AmqpQueueInfo(ok.Queue, ok.MessageCount, ok.ConsumerCount);
        });
    }

    /// <summary>Checks that a queue exists (a 404 channel error if not) and returns its counts.</summary>
    public Deferred<AmqpQueueInfo> QueueDeclarePassive(string queue) =>
        Call(new QueueDeclare { Queue = queue, Passive = true }).Then(reply => reply is QueueDeclareOk ok ? new AmqpQueueInfo(ok.Queue, ok.MessageCount, ok.ConsumerCount) : throw Unexpected(reply));

    /// <summary>Binds a queue to an exchange.</summary>
    public Deferred<Unit> QueueBind(string queue, string exchange, string routingKey = "", FieldTable? arguments = null)
    {
        var bind = new QueueBind { Queue = queue, Exchange = exchange, RoutingKey = routingKey, Arguments = arguments };
        return Call(bind).Then(_ => Recorded(() => _connection.Topology.RecordBinding(bind)));
    }

    /// <summary>Removes a queue binding.</summary>
    public Deferred<Unit> QueueUnbind(string queue, string exchange, string routingKey = "", FieldTable? arguments = null) =>
        Call(new QueueUnbind { Queue = queue, Exchange = exchange, RoutingKey = routingKey, Arguments = arguments })
            .Then(_ => Recorded(() => _connection.Topology.RemoveBinding(new QueueBind { Queue = queue, Exchange = exchange, RoutingKey = routingKey, Arguments = arguments })));

    /// <summary>Drops every ready message of a queue; returns how many.</summary>
    public Deferred<uint> QueuePurge(string queue) => Call(new QueuePurge { Queue = queue }).Then(reply => ((QueuePurgeOk)reply!).MessageCount);

    /// <summary>Deletes a queue (only when unused or empty, if asked); returns how many messages it held.</summary>
    public Deferred<uint> QueueDelete(string queue, bool ifUnused = false, bool ifEmpty = false) =>
        Call(new QueueDelete { Queue = queue, IfUnused = ifUnused, IfEmpty = ifEmpty }).Then(reply =>
        {
            _connection.Topology.RemoveQueue(queue);
            return ((QueueDeleteOk)reply!).MessageCount;
        });

    /// <summary>Limits unacknowledged deliveries to this channel's consumers (the consumers' backpressure); kept across reopenings.</summary>
    public Deferred<Unit> Qos(ushort prefetchCount, bool global = false)
    {
        Prefetch = prefetchCount;
        return Call(new BasicQos { PrefetchCount = prefetchCount, Global = global }).Then(_ => Unit.Default);
    }

    /// <summary>
    /// Publishes a message. Without confirms the Deferred settles once the message is queued for the socket (at once
    /// while less than 1 MiB of publishes waits to be written, else when this one is written: backpressure); with them, on the
    /// broker's ack (a nack or a return of a mandatory publish fails it with <see cref="AmqpPublishException"/>). The
    /// method, header and body frames go out as one unit, from any thread.
    /// </summary>
    public Deferred<Unit> Publish(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties? properties = null, bool mandatory = false)
    {
        if (!Confirms)
        {
            return _connection.SubmitPublish(this, PublishMethod(exchange, routingKey, mandatory), properties, body);
        }

        var command = new AmqpCommand(this, PublishMethod(exchange, routingKey, mandatory), AmqpReplyKind.Confirm, unitResult: true)
        {
            Properties = properties,
            Body = body,
        };
        _connection.Submit(command);
        return command.Done;
    }

    /// <summary>A publish whose failure is reported to <paramref name="failed"/> on the loop, for the library's own plumbing.</summary>
    internal void Publish(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties properties, Action<Exception> failed) =>
        _connection.Submit(new AmqpCommand(this, PublishMethod(exchange, routingKey, false), Confirms ? AmqpReplyKind.Confirm : AmqpReplyKind.None, unitResult: true)
        {
            Properties = properties,
            Body = body,
            Failed = failed,
        });

    /// <summary>Publishes a UTF-8 text body.</summary>
    public Deferred<Unit> Publish(string exchange, string routingKey, string body, BasicProperties? properties = null, bool mandatory = false) =>
        Publish(exchange, routingKey, Encoding.UTF8.GetBytes(body), properties, mandatory);

    /// <summary>A consumer of <paramref name="queue"/>: it starts when first subscribed (see <see cref="AmqpConsumer"/>).</summary>
    public AmqpConsumer Consume(string queue, AmqpConsumeOptions? options = null) => new(this, queue, options ?? new AmqpConsumeOptions());

    /// <summary>Takes one message from a queue (<c>basic.get</c>); null when it is empty.</summary>
    public Deferred<AmqpDelivery?> Get(string queue, bool autoAck = false) =>
        Call(new BasicGet { Queue = queue, NoAck = autoAck }).Then(reply => reply as AmqpDelivery);

    /// <summary>Acknowledges a delivery (and every earlier one of the channel, with <paramref name="multiple"/>).</summary>
    public Deferred<Unit> Ack(AmqpDelivery delivery, bool multiple = false) =>
        Settle(delivery, new BasicAck { DeliveryTag = delivery.DeliveryTag, Multiple = multiple });

    /// <summary>Negatively acknowledges a delivery (RabbitMQ's basic.nack).</summary>
    public Deferred<Unit> Nack(AmqpDelivery delivery, bool multiple = false, bool requeue = true) =>
        Settle(delivery, new BasicNack { DeliveryTag = delivery.DeliveryTag, Multiple = multiple, Requeue = requeue });

    /// <summary>Rejects a delivery.</summary>
    public Deferred<Unit> Reject(AmqpDelivery delivery, bool requeue = true) =>
        Settle(delivery, new BasicReject { DeliveryTag = delivery.DeliveryTag, Requeue = requeue });

    /// <summary>Asks the broker to redeliver every unacknowledged message of the channel.</summary>
    public Deferred<Unit> Recover(bool requeue = true) => Call(new BasicRecover { Requeue = requeue }).Then(_ => Unit.Default);

    /// <summary>Puts the channel in transaction mode.</summary>
    public Deferred<Unit> TxSelect() => Call(new TxSelect()).Then(_ => Unit.Default);

    /// <summary>Commits the channel's transaction.</summary>
    public Deferred<Unit> TxCommit() => Call(new TxCommit()).Then(_ => Unit.Default);

    /// <summary>Rolls back the channel's transaction.</summary>
    public Deferred<Unit> TxRollback() => Call(new TxRollback()).Then(_ => Unit.Default);

    /// <summary>Cancels the channel's consumers and forgets it; the broker closes it with the connection.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var consumer in Consumers.Values)
        {
            StopConsumer(consumer);
            consumer.End(null);
        }

        _connection.Forget(this);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"channel {Number}{(Confirms ? " (confirms)" : "")}";

    internal Deferred<object?> Call(IAmqpMethod method)
    {
        var command = new AmqpCommand(this, method, AmqpReplyKind.Method);
        _connection.Submit(command);
        return command.Reply;
    }

    internal void StartConsumer(AmqpConsumer consumer)
    {
        Consumers[consumer.Tag] = consumer;
        Call(ConsumeMethod(consumer)).Subscribe(
            _ =>
            {
                consumer.IsActive = true;
                consumer.Started.TryCallback(consumer.Tag);
            },
            error =>
            {
                Consumers.TryRemove(consumer.Tag, out _);
                consumer.End(error);
            });
    }

    internal void StopConsumer(AmqpConsumer consumer)
    {
        if (!consumer.IsActive && !Consumers.ContainsKey(consumer.Tag))
        {
            return;
        }

        Call(new BasicCancel { ConsumerTag = consumer.Tag }).Subscribe(
            _ =>
            {
                consumer.IsActive = false;
                Consumers.TryRemove(consumer.Tag, out AmqpConsumer? _);
            },
            _ => Consumers.TryRemove(consumer.Tag, out AmqpConsumer? _));
    }

    internal static BasicConsume ConsumeMethod(AmqpConsumer consumer) => new()
    {
        Queue = consumer.Queue,
        ConsumerTag = consumer.Tag,
        NoAck = consumer.Options.AutoAck,
        Exclusive = consumer.Options.Exclusive,
        Arguments = consumer.Options.Arguments,
    };

    internal void Returned(AmqpReturnedMessage message) => _returns.OnNext(message);

    private Deferred<Unit> Settle(AmqpDelivery delivery, IAmqpMethod method)
    {
        if (!ReferenceEquals(delivery.Channel, this))
        {
            throw new ArgumentException($"The delivery came on {delivery.Channel}, not {this}: acknowledge it on its own channel.", nameof(delivery));
        }

        var command = new AmqpCommand(this, method, AmqpReplyKind.None, unitResult: true) { DeliveryEpoch = delivery.Epoch };
        _connection.Submit(command);
        return command.Done;
    }

    // Publishers mostly repeat one destination: the method record (immutable) is reused while it does not change.
    private BasicPublish PublishMethod(string exchange, string routingKey, bool mandatory)
    {
        var last = _lastPublish;
        if (last is not null && last.Mandatory == mandatory && ReferenceEquals(last.Exchange, exchange) && ReferenceEquals(last.RoutingKey, routingKey))
        {
            return last;
        }

        return _lastPublish = new BasicPublish { Exchange = exchange, RoutingKey = routingKey, Mandatory = mandatory };
    }

    private static Unit Recorded(Action record)
    {
        record();
        return Unit.Default;
    }

    private static AmqpFrameException Unexpected(object? reply) => new($"Unexpected reply {reply}.");
}
