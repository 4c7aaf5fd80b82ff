namespace ReactiveKv.Amqp;

/// <summary>The broker cancelled a consumer (<c>basic.cancel</c>: its queue was deleted, or it failed over); its stream ends with this.</summary>
public sealed class AmqpConsumerCancelledException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpConsumerCancelledException(string message, string consumerTag, string queue)
        : base(message)
    {
        ConsumerTag = consumerTag;
        Queue = queue;
    }

    /// <summary>The consumer's tag.</summary>
    public string ConsumerTag { get; }

    /// <summary>The queue it consumed from.</summary>
    public string Queue { get; }
}
