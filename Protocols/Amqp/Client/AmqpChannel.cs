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
public sealed class AmqpChannel : IAmqpChannel
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

    /// <inheritdoc />
    public ushort Number { get; }

    /// <inheritdoc />
    public bool Confirms { get; }

    /// <inheritdoc />
    public ushort? Prefetch { get; private set; }

    /// <summary>The connection it belongs to.</summary>
    public AmqpConnection Connection => _connection;

    /// <inheritdoc />
    IAmqpConnection IAmqpChannel.Connection => _connection;

    /// <inheritdoc />
    public IObservable<AmqpReturnedMessage> Returns { get; }

    internal ConcurrentDictionary<string, AmqpConsumer> Consumers { get; } = new();

    /// <inheritdoc />
    public Deferred<Unit> ExchangeDeclare(string exchange, string type, bool durable = false, bool autoDelete = false, bool isInternal = false, FieldTable? arguments = null, CancellationToken cancellationToken = default)
    {
        var declare = new ExchangeDeclare { Exchange = exchange, Type = type, Durable = durable, AutoDelete = autoDelete, Internal = isInternal, Arguments = arguments };
        return Call(declare, cancellationToken).Then(_ => Recorded(() => _connection.Topology.RecordExchange(declare)));
    }

    /// <inheritdoc />
    public Deferred<Unit> ExchangeDeclarePassive(string exchange, CancellationToken cancellationToken = default) => Call(new ExchangeDeclare { Exchange = exchange, Passive = true }, cancellationToken).Then(_ => Unit.Default);

    /// <inheritdoc />
    public Deferred<Unit> ExchangeDelete(string exchange, bool ifUnused = false, CancellationToken cancellationToken = default) =>
        Call(new ExchangeDelete { Exchange = exchange, IfUnused = ifUnused }, cancellationToken).Then(_ => Recorded(() => _connection.Topology.RemoveExchange(exchange)));

    /// <inheritdoc />
    public Deferred<Unit> ExchangeBind(string destination, string source, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default)
    {
        var bind = new ExchangeBind { Destination = destination, Source = source, RoutingKey = routingKey, Arguments = arguments };
        return Call(bind, cancellationToken).Then(_ => Recorded(() => _connection.Topology.RecordBinding(bind)));
    }

    /// <inheritdoc />
    public Deferred<Unit> ExchangeUnbind(string destination, string source, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default) =>
        Call(new ExchangeUnbind { Destination = destination, Source = source, RoutingKey = routingKey, Arguments = arguments }, cancellationToken)
            .Then(_ => Recorded(() => _connection.Topology.RemoveBinding(new ExchangeBind { Destination = destination, Source = source, RoutingKey = routingKey, Arguments = arguments })));

    /// <inheritdoc />
    public Deferred<AmqpQueueInfo> QueueDeclare(string queue = "", bool durable = false, bool exclusive = false, bool autoDelete = false, FieldTable? arguments = null, CancellationToken cancellationToken = default)
    {
        var declare = new QueueDeclare { Queue = queue, Durable = durable, Exclusive = exclusive, AutoDelete = autoDelete, Arguments = arguments };
        return Call(declare, cancellationToken).Then(reply =>
        {
            var ok = (QueueDeclareOk)reply!;
            _connection.Topology.RecordQueue(declare, ok.Queue);
            return new AmqpQueueInfo(ok.Queue, ok.MessageCount, ok.ConsumerCount);
        });
    }

    /// <inheritdoc />
    public Deferred<AmqpQueueInfo> QueueDeclarePassive(string queue, CancellationToken cancellationToken = default) =>
        Call(new QueueDeclare { Queue = queue, Passive = true }, cancellationToken).Then(reply => reply is QueueDeclareOk ok ? new AmqpQueueInfo(ok.Queue, ok.MessageCount, ok.ConsumerCount) : throw Unexpected(reply));

    /// <inheritdoc />
    public Deferred<Unit> QueueBind(string queue, string exchange, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default)
    {
        var bind = new QueueBind { Queue = queue, Exchange = exchange, RoutingKey = routingKey, Arguments = arguments };
        return Call(bind, cancellationToken).Then(_ => Recorded(() => _connection.Topology.RecordBinding(bind)));
    }

    /// <inheritdoc />
    public Deferred<Unit> QueueUnbind(string queue, string exchange, string routingKey = "", FieldTable? arguments = null, CancellationToken cancellationToken = default) =>
        Call(new QueueUnbind { Queue = queue, Exchange = exchange, RoutingKey = routingKey, Arguments = arguments }, cancellationToken)
            .Then(_ => Recorded(() => _connection.Topology.RemoveBinding(new QueueBind { Queue = queue, Exchange = exchange, RoutingKey = routingKey, Arguments = arguments })));

    /// <inheritdoc />
    public Deferred<uint> QueuePurge(string queue, CancellationToken cancellationToken = default) => Call(new QueuePurge { Queue = queue }, cancellationToken).Then(reply => ((QueuePurgeOk)reply!).MessageCount);

    /// <inheritdoc />
    public Deferred<uint> QueueDelete(string queue, bool ifUnused = false, bool ifEmpty = false, CancellationToken cancellationToken = default) =>
        Call(new QueueDelete { Queue = queue, IfUnused = ifUnused, IfEmpty = ifEmpty }, cancellationToken).Then(reply =>
        {
            _connection.Topology.RemoveQueue(queue);
            return ((QueueDeleteOk)reply!).MessageCount;
        });

    /// <inheritdoc />
    public Deferred<Unit> Qos(ushort prefetchCount, bool global = false, CancellationToken cancellationToken = default)
    {
        Prefetch = prefetchCount;
        return Call(new BasicQos { PrefetchCount = prefetchCount, Global = global }, cancellationToken).Then(_ => Unit.Default);
    }

    /// <inheritdoc />
    public Deferred<Unit> Publish(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties? properties = null, bool mandatory = false, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Cancelled<Unit>();
        }

        if (!Confirms)
        {
            return _connection.SubmitPublish(this, PublishMethod(exchange, routingKey, mandatory), properties, body, cancellationToken);
        }

        var command = new AmqpCommand(this, PublishMethod(exchange, routingKey, mandatory), AmqpReplyKind.Confirm, unitResult: true)
        {
            Properties = properties,
            Body = body,
        };
        _connection.Submit(command);
        return CancelWith(command, command.Done, cancellationToken);
    }

    /// <summary>A publish whose failure is reported to <paramref name="failed"/> on the loop, for the library's own plumbing.</summary>
    internal void Publish(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties properties, Action<Exception> failed) =>
        _connection.Submit(new AmqpCommand(this, PublishMethod(exchange, routingKey, false), Confirms ? AmqpReplyKind.Confirm : AmqpReplyKind.None, unitResult: true)
        {
            Properties = properties,
            Body = body,
            Failed = failed,
        });

    /// <inheritdoc />
    public Deferred<Unit> Publish(string exchange, string routingKey, string body, BasicProperties? properties = null, bool mandatory = false, CancellationToken cancellationToken = default) =>
        Publish(exchange, routingKey, Encoding.UTF8.GetBytes(body), properties, mandatory, cancellationToken);

    /// <inheritdoc />
    public AmqpConsumer Consume(string queue, AmqpConsumeOptions? options = null) => new(this, queue, options ?? new AmqpConsumeOptions());

    /// <inheritdoc />
    public Deferred<AmqpDelivery?> Get(string queue, bool autoAck = false, CancellationToken cancellationToken = default) =>
        Call(new BasicGet { Queue = queue, NoAck = autoAck }, cancellationToken).Then(reply => reply as AmqpDelivery);

    /// <inheritdoc />
    public Deferred<Unit> Ack(AmqpDelivery delivery, bool multiple = false, CancellationToken cancellationToken = default) =>
        Settle(delivery, new BasicAck { DeliveryTag = delivery.DeliveryTag, Multiple = multiple }, cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Nack(AmqpDelivery delivery, bool multiple = false, bool requeue = true, CancellationToken cancellationToken = default) =>
        Settle(delivery, new BasicNack { DeliveryTag = delivery.DeliveryTag, Multiple = multiple, Requeue = requeue }, cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Reject(AmqpDelivery delivery, bool requeue = true, CancellationToken cancellationToken = default) =>
        Settle(delivery, new BasicReject { DeliveryTag = delivery.DeliveryTag, Requeue = requeue }, cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Recover(bool requeue = true, CancellationToken cancellationToken = default) => Call(new BasicRecover { Requeue = requeue }, cancellationToken).Then(_ => Unit.Default);

    /// <inheritdoc />
    public Deferred<Unit> TxSelect(CancellationToken cancellationToken = default) => Call(new TxSelect(), cancellationToken).Then(_ => Unit.Default);

    /// <inheritdoc />
    public Deferred<Unit> TxCommit(CancellationToken cancellationToken = default) => Call(new TxCommit(), cancellationToken).Then(_ => Unit.Default);

    /// <inheritdoc />
    public Deferred<Unit> TxRollback(CancellationToken cancellationToken = default) => Call(new TxRollback(), cancellationToken).Then(_ => Unit.Default);

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

    internal Deferred<object?> Call(IAmqpMethod method, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Cancelled<object?>();
        }

        var command = new AmqpCommand(this, method, AmqpReplyKind.Method);
        _connection.Submit(command);
        return CancelWith(command, command.Reply, cancellationToken);
    }

    /// <summary>What an operation called with a token already cancelled returns: nothing was sent.</summary>
    internal static Deferred<T> Cancelled<T>()
    {
        var cancelled = new Deferred<T>();
        cancelled.Cancel();
        return cancelled;
    }

    /// <summary>
    /// Fails <paramref name="command"/> with <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/>
    /// is cancelled before it settles, the way a timeout would: not yet written, it never is; written, it cannot be
    /// taken back, and its reply (or confirm) is still read in its turn and dropped, so the channel's later replies
    /// stay matched. Nothing is registered for a token that cannot be cancelled.
    /// </summary>
    internal static Deferred<T> CancelWith<T>(AmqpCommand command, Deferred<T> result, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled && !result.Called)
        {
            var registration = cancellationToken.Register(static c => ((AmqpCommand)c!).Fail(new OperationCanceledException("The operation was cancelled.")), command);
            result.Subscribe(_ => { }, _ => registration.Dispose(), registration.Dispose);
        }

        return result;
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

    private Deferred<Unit> Settle(AmqpDelivery delivery, IAmqpMethod method, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(delivery.Channel, this))
        {
            throw new ArgumentException($"The delivery came on {delivery.Channel}, not {this}: acknowledge it on its own channel.", nameof(delivery));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Cancelled<Unit>();
        }

        var command = new AmqpCommand(this, method, AmqpReplyKind.None, unitResult: true) { DeliveryEpoch = delivery.Epoch };
        _connection.Submit(command);
        return CancelWith(command, command.Done, cancellationToken);
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
