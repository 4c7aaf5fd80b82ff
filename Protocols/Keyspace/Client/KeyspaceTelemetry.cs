namespace ReactiveKv.Keyspace;

/// <summary>The Keyspace client's tracing and metrics (<see cref="TelemetryNames.Keyspace"/>), fed by its connection services.</summary>
internal static class KeyspaceTelemetry
{
    public static readonly ClientTelemetry Instance = ClientTelemetry.ForDatabase(TelemetryNames.Keyspace, "keyspace");
}
