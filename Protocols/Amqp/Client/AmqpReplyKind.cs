namespace ReactiveKv.Amqp;

/// <summary>What settles an <see cref="AmqpCommand"/>.</summary>
internal enum AmqpReplyKind
{
    /// <summary>Nothing comes back (a publish without confirms, an ack): settled once written.</summary>
    None,

    /// <summary>A synchronous method: settled by the reply method on its channel, in order.</summary>
    Method,

    /// <summary>A publish on a channel in confirm mode: settled by the broker's ack or nack.</summary>
    Confirm,
}
