namespace ReactiveKv.Amqp;

/// <summary>Every message the AMQP client fails an operation with, worded once; the exception types are AMQP's own.</summary>
internal sealed class AmqpErrors : ClientErrors
{
    public static readonly AmqpErrors Instance = new();

    private AmqpErrors()
        : base("AMQP", "rabbitmq-server")
    {
    }

    /// <summary>The broker closed the channel an operation was on.</summary>
    public AmqpChannelException ChannelClosed(string operation, ushort channel, AmqpChannelException cause, bool culprit) =>
        culprit
            ? cause
            : new($"{operation} on channel {channel} failed: the broker closed the channel because of an earlier operation ({cause.ReplyCode} {cause.ReplyText}).", cause.ReplyCode, cause.ReplyText, cause.ClassId, cause.MethodId, cause);

    /// <summary>The channel-close the broker sent, as an exception on the operation that caused it.</summary>
    public AmqpChannelException ChannelError(ushort channel, ChannelClose close) =>
        new($"The broker closed channel {channel}: {close.ReplyCode} {close.ReplyText}{AmqpChannelException.Culprit(close.FailingClassId, close.FailingMethodId)}.", close.ReplyCode, close.ReplyText, close.FailingClassId, close.FailingMethodId);

    /// <summary>A confirmed publish came back unroutable.</summary>
    public AmqpPublishException Returned(BasicReturn returned) =>
        new($"The broker returned the message published to exchange '{returned.Exchange}' with routing key '{returned.RoutingKey}': {returned.ReplyCode} {returned.ReplyText} (no queue took it).", true, returned.ReplyCode, returned.ReplyText);

    /// <summary>A confirmed publish was nacked.</summary>
    public AmqpPublishException Nacked(string operation) =>
        new($"The broker nacked {operation}: it could not take responsibility for the message (an internal error, or a queue's overflow=reject-publish). Publish it again if it must be delivered.", false, 0, "");

    /// <summary>An ack, nack or reject for a delivery of a lost connection.</summary>
    public AmqpStaleDeliveryException Stale(string what, ulong tag) =>
        new($"{what} of delivery {tag} was not sent: the delivery came on a channel that has since been lost (its connection dropped, or the broker closed the channel), and the broker has requeued it (it will be delivered again). Its tag would be unknown on the channel now open.");

    /// <inheritdoc />
    protected override ClientConnectionException ConnectionError(string message, bool mayHaveExecuted, Exception? cause) =>
        new AmqpConnectionException(message, mayHaveExecuted, cause);

    /// <inheritdoc />
    protected override OperationTimeoutException TimeoutError(string message, ClientRequest request, TimeSpan timeout, Exception? lastError) =>
        new AmqpTimeoutException(message, request.Operation, timeout, request.Written, lastError);
}
