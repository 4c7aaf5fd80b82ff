using System.Reactive;

namespace ReactiveKv.Amqp;

/// <summary>
/// One method the client sends on a channel (with its content, for a publish), and the Deferred its answer settles:
/// the reply method, an <see cref="AmqpDelivery"/> for basic.get, or null when nothing comes back.
/// </summary>
internal sealed class AmqpCommand : ClientRequest
{
    private readonly AmqpChannel channel;
    private readonly IAmqpMethod method;
    private readonly AmqpReplyKind kind;
    private readonly Deferred<object?>? _reply;
    private readonly Deferred<Unit>? _done;
    private string? _operation;
    private int _settled;

    /// <summary>
    /// A command; with <paramref name="unitResult"/> its caller only learns that it succeeded (publishes, acks: one
    /// Deferred less); with <paramref name="eager"/> its caller was told at once (a publish without confirms queued
    /// under the limit) and it has no Deferred at all.
    /// </summary>
    public AmqpCommand(AmqpChannel channel, IAmqpMethod method, AmqpReplyKind kind, bool unitResult = false, bool eager = false)
    {
        this.channel = channel;
        this.method = method;
        this.kind = kind;
        if (eager)
        {
            return;
        }

        if (unitResult)
        {
            _done = new Deferred<Unit>();
        }
        else
        {
            _reply = new Deferred<object?>();
        }
    }

    /// <summary>Bytes this publish adds to the connection's queue of unsent publishes, given back when it settles.</summary>
    public long QueuedBytes { get; init; }

    public AmqpChannel Channel => channel;

    public IAmqpMethod Method => method;

    public AmqpReplyKind Kind => kind;

    public BasicProperties? Properties { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>For an ack, nack or reject: the channel session its delivery came on (tags mean nothing on another).</summary>
    public long DeliveryEpoch { get; init; } = -1;

    /// <summary>Opens, confirm-selects and qos-es the channel sends on its own: no caller waits for them.</summary>
    public bool Internal { get; init; }

    /// <summary>Told of a failure as it happens, on the loop (the library's own plumbing, instead of a subscription).</summary>
    public Action<Exception>? Failed { get; init; }

    /// <summary>Set when the broker returned this mandatory publish; its confirm then fails with it.</summary>
    public AmqpPublishException? ReturnedWith { get; set; }

    /// <summary>The answer: the reply method, a delivery for basic.get, or null.</summary>
    public Deferred<object?> Reply => _reply ?? throw new InvalidOperationException("This command settles Done, not Reply.");

    /// <summary>Success or failure only.</summary>
    public Deferred<Unit> Done => _done ?? throw new InvalidOperationException("This command settles Reply, not Done.");

    public override string Operation => _operation ??= Describe();

    /// <inheritdoc />
    protected override string TelemetryOperation => AmqpOperationNames.Of(method);

    /// <inheritdoc />
    protected override string TelemetrySpanName =>
        AmqpOperationNames.Destination(method) is { } destination ? $"{TelemetryOperation} {destination}" : TelemetryOperation;

    /// <inheritdoc />
    protected override System.Diagnostics.ActivityKind TelemetryActivityKind =>
        method is BasicPublish ? System.Diagnostics.ActivityKind.Producer : System.Diagnostics.ActivityKind.Client;

    /// <inheritdoc />
    protected override int TelemetryMessages => method is BasicPublish ? 1 : 0;

    /// <inheritdoc />
    protected override void AddTelemetryTags(ref System.Diagnostics.TagList tags)
    {
        if (AmqpOperationNames.TypeOf(method) is { } type)
        {
            tags.Add("messaging.operation.type", type);
        }

        if (AmqpOperationNames.Destination(method) is { } destination)
        {
            tags.Add("messaging.destination.name", destination);
        }
    }

    /// <inheritdoc />
    protected override void AddSpanTags(System.Diagnostics.Activity activity)
    {
        if (method is BasicPublish { RoutingKey.Length: > 0 } publish)
        {
            activity.SetTag("messaging.rabbitmq.destination.routing_key", publish.RoutingKey);
        }
    }

    public override bool IsSettled => _done?.Called ?? _reply?.Called ?? Volatile.Read(ref _settled) == 1;

    public void Succeed(object? result)
    {
        if (!MarkSettled())
        {
            return;
        }

        // Reported before the result is delivered: the caller's continuation may run inline, and is not the command's time.
        ReportSettled((Exception?)null);
        if (method is BasicGet get && result is AmqpDelivery)
        {
            AmqpTelemetry.Instance.Consumed("receive", get.Queue, channel.Connection.Options.Host, channel.Connection.Options.Port);
        }

        if (_done is not null)
        {
            _done.TryCallback(Unit.Default);
        }
        else
        {
            _reply?.TryCallback(result);
        }
    }

    public override void Fail(Exception error)
    {
        if (!IsSettled)
        {
            Failed?.Invoke(error);
        }

        if (!MarkSettled())
        {
            return;
        }

        ReportSettled(error);
        if (_done is not null)
        {
            _done.TryErrback(error);
        }
        else
        {
            _reply?.TryErrback(error);
        }
    }

    // Once per command, whoever settles it: a queued publish gives its bytes back to the connection's limit.
    private bool MarkSettled()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 1)
        {
            return false;
        }

        if (QueuedBytes > 0)
        {
            channel.Connection.Unqueue(QueuedBytes);
        }

        return true;
    }

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
