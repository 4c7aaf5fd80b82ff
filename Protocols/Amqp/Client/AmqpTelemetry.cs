namespace ReactiveKv.Amqp;

/// <summary>The AMQP (RabbitMQ) client's tracing and metrics (<see cref="TelemetryNames.Amqp"/>), fed by its connection services.</summary>
internal static class AmqpTelemetry
{
    public static readonly ClientTelemetry Instance = ClientTelemetry.ForMessaging(TelemetryNames.Amqp, "rabbitmq");
}
