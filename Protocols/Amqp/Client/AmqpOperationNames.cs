namespace ReactiveKv.Amqp;

/// <summary>How an AMQP method is named for telemetry, after OpenTelemetry's messaging conventions for RabbitMQ.</summary>
internal static class AmqpOperationNames
{
    /// <summary>The conventions' name for the default exchange, which the protocol spells as an empty name.</summary>
    public const string DefaultExchange = "amq.default";

    /// <summary><c>messaging.operation.name</c>: publish, receive, ack, nack, reject; other methods by their AMQP name.</summary>
    public static string Of(IAmqpMethod method) => method switch
    {
        BasicPublish => "publish",
        BasicGet => "receive",
        BasicAck => "ack",
        BasicNack => "nack",
        BasicReject => "reject",
        _ => method.Name,
    };

    /// <summary><c>messaging.operation.type</c>: send, receive or settle; none for topology and channel methods.</summary>
    public static string? TypeOf(IAmqpMethod method) => method switch
    {
        BasicPublish => "send",
        BasicGet => "receive",
        BasicAck or BasicNack or BasicReject => "settle",
        _ => null,
    };

    /// <summary><c>messaging.destination.name</c>: the exchange a publish goes to, the queue a get reads.</summary>
    public static string? Destination(IAmqpMethod method) => method switch
    {
        BasicPublish p => Exchange(p.Exchange),
        BasicGet g => g.Queue,
        _ => null,
    };

    /// <summary>An exchange's name, with the default exchange named as the conventions ask.</summary>
    public static string Exchange(string exchange) => exchange.Length == 0 ? DefaultExchange : exchange;
}
