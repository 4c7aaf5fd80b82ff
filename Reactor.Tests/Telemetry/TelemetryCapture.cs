using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReactiveKv.Tests.Telemetry;

/// <summary>
/// Listens to some of the library's activity sources and meters for one test: keeps the activities stopped under the
/// test's own root activity, and every measurement with its tags. Both arrive synchronously (a request reports before
/// its caller is resumed), so a test reads them right after awaiting its calls.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private static readonly ActivitySource TestSource = new("ReactiveKv.Tests.Telemetry");

    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public TelemetryCapture(params string[] names)
    {
        // Read before the listener is added: made lazily inside ShouldListenTo, the source would miss this very listener.
        var own = TestSource;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source == own || names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (names.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
        Root = TestSource.StartActivity("test") ?? throw new InvalidOperationException("The test's root activity was not sampled.");
    }

    /// <summary>The test's own activity: the library's activities of this test are its children.</summary>
    public Activity Root { get; }

    /// <summary>The library's activities stopped so far under <see cref="Root"/>.</summary>
    public IReadOnlyList<Activity> Activities => [.. _stopped.Where(a => a.ParentSpanId == Root.SpanId && a.Source != TestSource)];

    /// <summary>The measurements of <paramref name="instrument"/> whose <c>server.port</c> is <paramref name="port"/> (this test's server).</summary>
    public IReadOnlyList<Measurement> Of(string instrument, int port) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue("server.port", out var p) && p is int i && i == port)];

    /// <summary>Every activity stopped so far, under the root or not (a backend that routes on its loop starts them there).</summary>
    public IReadOnlyList<Activity> AllActivities => [.. _stopped];

    /// <summary>Every measurement of <paramref name="instrument"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    public void Dispose()
    {
        Root.Stop();
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Measurement(instrument.Meter.Name, instrument.Name, instrument.Unit, value, copy));
    }

    /// <summary>One measurement as a listener saw it.</summary>
    public sealed record Measurement(string Meter, string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public object? this[string tag] => Tags.GetValueOrDefault(tag);
    }
}
