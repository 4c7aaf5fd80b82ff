using ReactiveKv;

namespace OpenTelemetry.Trace;

/// <summary>
/// Adds ReactiveKv's tracing to an OpenTelemetry tracer provider. In the <c>OpenTelemetry.Trace</c> namespace, as
/// instrumentation libraries do, so it is found beside <c>AddSource</c> without another using.
/// </summary>
public static class ReactiveKvTracerProviderBuilderExtensions
{
    /// <summary>
    /// Listens to every ReactiveKv client's activity source (<see cref="TelemetryNames.ActivitySources"/>): one Client
    /// (or, for an AMQP publish, Producer) activity per request, with OpenTelemetry's database and messaging attributes.
    /// </summary>
    /// <param name="builder">The tracer provider's builder.</param>
    /// <returns>The same builder, to chain calls.</returns>
    public static TracerProviderBuilder AddReactiveKvInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource([.. TelemetryNames.ActivitySources]);
    }
}
