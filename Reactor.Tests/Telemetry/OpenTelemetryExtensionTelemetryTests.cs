using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ReactiveKv.Tests.Telemetry;

/// <summary>The OpenTelemetry extension registers every source and meter the library has, by the names it publishes.</summary>
public sealed class OpenTelemetryExtensionTelemetryTests
{
    [Fact]
    public void AddReactiveKvInstrumentation_OnATracerProvider_AddsEveryBackendsSource()
    {
        var builder = new RecordingTracerProviderBuilder();
        Assert.Same(builder, builder.AddReactiveKvInstrumentation());
        Assert.Equal([TelemetryNames.Redis, TelemetryNames.Pegasus, TelemetryNames.KyotoTycoon, TelemetryNames.Keyspace, TelemetryNames.Amqp], builder.Sources);
    }

    [Fact]
    public void AddReactiveKvInstrumentation_OnAMeterProvider_AddsEveryBackendsMeter_AndTheReactors()
    {
        var builder = new RecordingMeterProviderBuilder();
        Assert.Same(builder, builder.AddReactiveKvInstrumentation());
        Assert.Equal([TelemetryNames.Redis, TelemetryNames.Pegasus, TelemetryNames.KyotoTycoon, TelemetryNames.Keyspace, TelemetryNames.Amqp, ReactorDiagnostics.MeterName], builder.Meters);
    }

    [Fact]
    public void EveryBackend_PublishesUnderItsListedName()
    {
        Assert.Equal(TelemetryNames.Redis, ReactiveKv.Redis.RedisTelemetry.Instance.Name);
        Assert.Equal(TelemetryNames.Pegasus, ReactiveKv.Pegasus.PegasusTelemetry.Instance.Name);
        Assert.Equal(TelemetryNames.KyotoTycoon, ReactiveKv.KyotoTycoon.KtTelemetry.Instance.Name);
        Assert.Equal(TelemetryNames.Keyspace, ReactiveKv.Keyspace.KeyspaceTelemetry.Instance.Name);
        Assert.Equal(TelemetryNames.Amqp, ReactiveKv.Amqp.AmqpTelemetry.Instance.Name);
        Assert.True(ReactiveKv.Amqp.AmqpTelemetry.Instance.IsMessaging);
        Assert.Equal("rabbitmq", ReactiveKv.Amqp.AmqpTelemetry.Instance.SystemName);
    }

    private sealed class RecordingTracerProviderBuilder : TracerProviderBuilder
    {
        public List<string> Sources { get; } = [];

        public override TracerProviderBuilder AddInstrumentation<TInstrumentation>(Func<TInstrumentation> instrumentationFactory) => this;

        public override TracerProviderBuilder AddSource(params string[] names)
        {
            Sources.AddRange(names);
            return this;
        }

        public override TracerProviderBuilder AddLegacySource(string operationName) => this;
    }

    private sealed class RecordingMeterProviderBuilder : MeterProviderBuilder
    {
        public List<string> Meters { get; } = [];

        public override MeterProviderBuilder AddInstrumentation<TInstrumentation>(Func<TInstrumentation> instrumentationFactory) => this;

        public override MeterProviderBuilder AddMeter(params string[] names)
        {
            Meters.AddRange(names);
            return this;
        }
    }
}
