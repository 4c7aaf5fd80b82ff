namespace ReactiveKv.Amqp;

/// <summary>How a consumer consumes.</summary>
public sealed record AmqpConsumeOptions
{
    /// <summary>The broker considers a message acknowledged once sent (no acks; no redelivery if the client dies).</summary>
    public bool AutoAck { get; init; }

    /// <summary>Only this consumer may consume from the queue.</summary>
    public bool Exclusive { get; init; }

    /// <summary>The consumer tag; default: a unique one chosen by the client (kept across recovery).</summary>
    public string? Tag { get; init; }

    /// <summary>Consumer arguments (<c>x-priority</c>, <c>x-stream-offset</c>…).</summary>
    public FieldTable? Arguments { get; init; }
}
