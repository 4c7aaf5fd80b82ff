using ReactiveKv;

namespace OpenTelemetry.Metrics;

/// <summary>
/// Adds ReactiveKv's metrics to an OpenTelemetry meter provider. In the <c>OpenTelemetry.Metrics</c> namespace, as
/// instrumentation libraries do, so it is found beside <c>AddMeter</c> without another using.
/// </summary>
public static class ReactiveKvMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to every ReactiveKv meter (<see cref="TelemetryNames.Meters"/>): each client's operation durations,
    /// counts, active operations, backlog and reconnects, and the reactor's connection and byte counters.
    /// </summary>
    /// <param name="builder">The meter provider's builder.</param>
    /// <returns>The same builder, to chain calls.</returns>
    public static MeterProviderBuilder AddReactiveKvInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter([.. TelemetryNames.Meters]);
    }
}
