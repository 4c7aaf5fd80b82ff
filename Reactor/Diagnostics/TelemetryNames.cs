namespace ReactiveKv;

/// <summary>
/// The names of every <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>
/// the library publishes, in one place, so an OpenTelemetry setup (or a listener) can subscribe to all of them without
/// referencing each backend's assembly. A backend's source and meter share its name.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The Redis client's activity source and meter.</summary>
    public const string Redis = "ReactiveKv.Redis";

    /// <summary>The Apache Pegasus client's activity source and meter.</summary>
    public const string Pegasus = "ReactiveKv.Pegasus";

    /// <summary>The Kyoto Tycoon client's activity source and meter.</summary>
    public const string KyotoTycoon = "ReactiveKv.KyotoTycoon";

    /// <summary>The Keyspace client's activity source and meter.</summary>
    public const string Keyspace = "ReactiveKv.Keyspace";

    /// <summary>The AMQP (RabbitMQ) client's activity source and meter.</summary>
    public const string Amqp = "ReactiveKv.Amqp";

    /// <summary>Every backend's activity source.</summary>
    public static IReadOnlyList<string> ActivitySources { get; } = [Redis, Pegasus, KyotoTycoon, Keyspace, Amqp];

    /// <summary>Every meter: the backends' and the reactor's own (<see cref="ReactorDiagnostics.MeterName"/>).</summary>
    public static IReadOnlyList<string> Meters { get; } = [Redis, Pegasus, KyotoTycoon, Keyspace, Amqp, ReactorDiagnostics.MeterName];
}
