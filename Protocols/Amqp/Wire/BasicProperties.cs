namespace ReactiveKv.Amqp;

/// <summary>
/// The 14 properties of a basic-class message, carried in its content header. A null property is absent: its
/// flag is clear and it takes no bytes on the wire.
/// </summary>
public sealed class BasicProperties
{
    /// <summary>The MIME type of the body, such as "application/json".</summary>
    public string? ContentType { get; set; }

    /// <summary>The MIME content encoding of the body, such as "gzip".</summary>
    public string? ContentEncoding { get; set; }

    /// <summary>Application headers (and RabbitMQ's x-death, CC, BCC and the like).</summary>
    public FieldTable? Headers { get; set; }

    /// <summary>1 transient, 2 persistent.</summary>
    public byte? DeliveryMode { get; set; }

    /// <summary>The message priority (0 to 9 in the spec; RabbitMQ honours up to the queue's x-max-priority).</summary>
    public byte? Priority { get; set; }

    /// <summary>Application correlation id, usually of the request a reply answers.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>Where replies should go (a queue name, or amq.rabbitmq.reply-to).</summary>
    public string? ReplyTo { get; set; }

    /// <summary>Per-message TTL in milliseconds, as a decimal string (RabbitMQ's reading of this field).</summary>
    public string? Expiration { get; set; }

    /// <summary>Application message id.</summary>
    public string? MessageId { get; set; }

    /// <summary>When the message was made, to the second.</summary>
    public AmqpTimestamp? Timestamp { get; set; }

    /// <summary>Application message type name.</summary>
    public string? Type { get; set; }

    /// <summary>The publisher's user name; RabbitMQ checks it against the connection's user when set.</summary>
    public string? UserId { get; set; }

    /// <summary>The publishing application's id.</summary>
    public string? AppId { get; set; }

    /// <summary>Deprecated in 0-9-1 and unused by RabbitMQ, kept so it round-trips.</summary>
    public string? ClusterId { get; set; }

    /// <summary>A copy of these properties (the headers table is shared, not copied).</summary>
    public BasicProperties Clone() => (BasicProperties)MemberwiseClone();
}
