namespace ReactiveKv.Pegasus;

/// <summary>The Apache Pegasus client's tracing and metrics (<see cref="TelemetryNames.Pegasus"/>), fed by its connection services.</summary>
internal static class PegasusTelemetry
{
    public static readonly ClientTelemetry Instance = ClientTelemetry.ForDatabase(TelemetryNames.Pegasus, "pegasus");
}
