namespace ReactiveKv.KyotoTycoon;

/// <summary>The Kyoto Tycoon client's tracing and metrics (<see cref="TelemetryNames.KyotoTycoon"/>), fed by its connection services.</summary>
internal static class KtTelemetry
{
    public static readonly ClientTelemetry Instance = ClientTelemetry.ForDatabase(TelemetryNames.KyotoTycoon, "kyoto_tycoon");
}
