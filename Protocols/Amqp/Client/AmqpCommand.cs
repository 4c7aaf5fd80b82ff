namespace ReactiveKv.Amqp;

/// <summary>
/// One method the client sends on a channel (with its content, for a publish), and the Deferred its answer settles:
/// the reply method, an <see cref="AmqpDelivery"/> for basic.get, or null when nothing comes back.
/// </summary>
internal sealed class AmqpCommand(AmqpChannel channel, IAmqpMethod method, AmqpReplyKind kind) : ClientRequest
{
    private string? _operation;

    public AmqpChannel Channel => channel;

    public IAmqpMethod Method => method;

    public AmqpReplyKind Kind => kind;

    public BasicProperties? Properties { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>For an ack, nack or reject: the channel session its delivery came on (tags mean nothing on another).</summary>
    public long DeliveryEpoch { get; init; } = -1;

    /// <summary>Opens, confirm-selects and qos-es the channel sends on its own: no caller waits for them.</summary>
    public bool Internal { get; init; }

    /// <summary>Set when the broker returned this mandatory publish; its confirm then fails with it.</summary>
    public AmqpPublishException? ReturnedWith { get; set; }

    public Deferred<object?> Reply { get; } = new();

    public override string Operation => _operation ??= Describe();

    public override bool IsSettled => Reply.Called;

    public override void Fail(Exception error) => Reply.TryErrback(error);

    /// <summary>True when <paramref name="reply"/> is this method's answer (…-ok; get-empty for get; unbind-ok 51 for exchange.unbind).</summary>
    public bool IsAnsweredBy(IAmqpMethod reply) =>
        reply.ClassId == method.ClassId
        && (reply.MethodId == method.MethodId + 1
            || (method is BasicGet && reply is BasicGetEmpty)
            || (method is ExchangeUnbind && reply is ExchangeUnbindOk));

    private string Describe() => method switch
    {
        BasicPublish p => $"basic.publish to exchange '{p.Exchange}' with routing key '{p.RoutingKey}'",
        QueueDeclare q => $"queue.declare '{q.Queue}'",
        QueueBind b => $"queue.bind '{b.Queue}' to '{b.Exchange}' ('{b.RoutingKey}')",
        QueueDelete d => $"queue.delete '{d.Queue}'",
        QueuePurge p => $"queue.purge '{p.Queue}'",
        ExchangeDeclare e => $"exchange.declare '{e.Exchange}' ({e.Type})",
        ExchangeDelete e => $"exchange.delete '{e.Exchange}'",
        BasicConsume c => $"basic.consume '{c.Queue}'",
        BasicGet g => $"basic.get '{g.Queue}'",
        _ => method.Name,
    } + $" on channel {channel.Number}";
}
