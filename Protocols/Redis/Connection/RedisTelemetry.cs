namespace ReactiveKv.Redis;

/// <summary>The Redis client's tracing and metrics (<see cref="TelemetryNames.Redis"/>), fed by its connection services.</summary>
internal static class RedisTelemetry
{
    public static readonly ClientTelemetry Instance = ClientTelemetry.ForDatabase(TelemetryNames.Redis, "redis");
}
