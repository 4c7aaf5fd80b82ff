using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReactiveKv;

/// <summary>
/// One backend's tracing and metrics, after OpenTelemetry's database or messaging conventions: an
/// <see cref="ActivitySource"/> and a <see cref="Meter"/> named <see cref="Name"/>, and the instruments every client
/// connection service feeds for its requests (duration, counts, in flight, backlog, reconnects). A backend declares
/// one (its system name and kind); the shared <see cref="ClientConnectionService{TProtocol, TRequest}"/> does the
/// measuring, so no backend keeps its own copy. With nothing listening it costs a few field reads per request.
/// </summary>
public sealed class ClientTelemetry
{
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        // The buckets the OpenTelemetry conventions recommend for client operation durations.
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    };

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _operations;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long>? _sent;
    private readonly Counter<long>? _consumed;

    private ClientTelemetry(string name, string systemName, bool messaging)
    {
        Name = name;
        SystemName = systemName;
        IsMessaging = messaging;
        SystemKey = messaging ? "messaging.system" : "db.system.name";
        OperationKey = messaging ? "messaging.operation.name" : "db.operation.name";
        Source = new ActivitySource(name);
        Meter = new Meter(name);
        var prefix = messaging ? "messaging" : "db";
        _duration = Meter.CreateHistogram<double>($"{prefix}.client.operation.duration", "s", "Duration of client operations, from submission to settlement", advice: DurationAdvice);
        _operations = Meter.CreateCounter<long>("reactivekv.client.operations", "{operation}", "Client operations settled, by operation and outcome");
        _inFlight = Meter.CreateUpDownCounter<long>("reactivekv.client.operations.active", "{operation}", "Client operations submitted and not yet settled");
        Backlog = Meter.CreateUpDownCounter<long>("reactivekv.client.backlog", "{request}", "Requests waiting for a connection or for room in the in-flight window");
        Reconnects = Meter.CreateCounter<long>("reactivekv.client.reconnects", "{connection}", "Connections made ready again after a loss");
        if (messaging)
        {
            _sent = Meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Messages the producer attempted to send to the broker");
            _consumed = Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Messages delivered to the client by the broker");
        }
    }

    /// <summary>The activity source's and meter's name (one of <see cref="TelemetryNames"/>).</summary>
    public string Name { get; }

    /// <summary>The value of <c>db.system.name</c> or <c>messaging.system</c> ("redis", "rabbitmq", …).</summary>
    public string SystemName { get; }

    /// <summary>True for a messaging backend (the <c>messaging.*</c> conventions), false for a database.</summary>
    public bool IsMessaging { get; }

    /// <summary>The backend's activity source: one Client (or Producer) activity per request.</summary>
    public ActivitySource Source { get; }

    /// <summary>The backend's meter.</summary>
    public Meter Meter { get; }

    internal string SystemKey { get; }

    internal string OperationKey { get; }

    internal UpDownCounter<long> Backlog { get; }

    internal Counter<long> Reconnects { get; }

    /// <summary>A database backend's telemetry (<c>db.system.name</c> = <paramref name="systemName"/>).</summary>
    public static ClientTelemetry ForDatabase(string name, string systemName) => new(name, systemName, false);

    /// <summary>A messaging backend's telemetry (<c>messaging.system</c> = <paramref name="systemName"/>).</summary>
    public static ClientTelemetry ForMessaging(string name, string systemName) => new(name, systemName, true);

    /// <summary>
    /// Counts <paramref name="count"/> messages the broker delivered (<c>messaging.client.consumed.messages</c>), from
    /// <paramref name="destination"/> by <paramref name="operation"/> ("deliver", "receive"). Free with nothing listening.
    /// </summary>
    public void Consumed(string operation, string destination, string? serverAddress = null, int? serverPort = null, long count = 1)
    {
        if (_consumed is not { Enabled: true } consumed)
        {
            return;
        }

        var tags = new TagList
        {
            { SystemKey, SystemName },
            { OperationKey, operation },
            { "messaging.destination.name", destination },
        };
        AddServer(ref tags, serverAddress, serverPort);
        consumed.Add(count, tags);
    }

    /// <summary>True when anything listens to the source or to an instrument a request feeds: only then is a request measured.</summary>
    internal bool Observed => Source.HasListeners() || _duration.Enabled || _operations.Enabled || _inFlight.Enabled || _sent is { Enabled: true };

    /// <summary>Starts measuring <paramref name="request"/>: its activity (if sampled) and its start time. Call only when <see cref="Observed"/>.</summary>
    internal RequestTelemetry Start(ClientRequest request, ServiceTelemetry service, Activity? caller)
    {
        var activity = StartActivity(request, service, caller);
        _inFlight.Add(1, new KeyValuePair<string, object?>(SystemKey, SystemName), new KeyValuePair<string, object?>(OperationKey, request.TelemetryOperation));
        return new RequestTelemetry(service, activity, Stopwatch.GetTimestamp());
    }

    internal void Finish(ClientRequest request, ServiceTelemetry service, RequestTelemetry measured, string? errorType, string outcome)
    {
        var seconds = Stopwatch.GetElapsedTime(measured.StartedAt).TotalSeconds;
        _inFlight.Add(-1, new KeyValuePair<string, object?>(SystemKey, SystemName), new KeyValuePair<string, object?>(OperationKey, request.TelemetryOperation));
        if (_duration.Enabled || _operations.Enabled || _sent is { Enabled: true })
        {
            Record(request, service, errorType, outcome, seconds);
        }

        if (measured.Activity is { } activity)
        {
            Stop(activity, errorType);
        }
    }

    private void Record(ClientRequest request, ServiceTelemetry service, string? errorType, string outcome, double seconds)
    {
        var tags = new TagList
        {
            { SystemKey, SystemName },
            { OperationKey, request.TelemetryOperation },
        };
        AddServer(ref tags, service.Address, service.Port);
        request.AddTelemetryTags(ref tags);
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _duration.Record(seconds, tags);
        if (_sent is not null && request.TelemetryMessages > 0)
        {
            _sent.Add(request.TelemetryMessages, tags);
        }

        tags.Add("reactivekv.outcome", outcome);
        _operations.Add(1, tags);
    }

    private Activity? StartActivity(ClientRequest request, ServiceTelemetry service, Activity? caller)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Starting an activity makes it current on this (the caller's) thread; the request goes on without the caller,
        // so the caller's own context is put back at once.
        var previous = Activity.Current;
        var activity = Source.StartActivity(request.TelemetrySpanName, request.TelemetryActivityKind, caller?.Context ?? default);
        if (activity is null)
        {
            return null;
        }

        Activity.Current = previous;
        if (activity.IsAllDataRequested)
        {
            Describe(activity, request, service);
        }

        return activity;
    }

    private void Describe(Activity activity, ClientRequest request, ServiceTelemetry service)
    {
        activity.SetTag(SystemKey, SystemName);
        activity.SetTag(OperationKey, request.TelemetryOperation);
        activity.SetTag("server.address", service.Address);
        activity.SetTag("server.port", service.Port);
        var tags = default(TagList);
        request.AddTelemetryTags(ref tags);
        foreach (var tag in tags)
        {
            activity.SetTag(tag.Key, tag.Value);
        }

        request.AddSpanTags(activity);
    }

    private static void Stop(Activity activity, string? errorType)
    {
        if (errorType is not null)
        {
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error);
        }

        // Stopping makes the activity's parent current on this thread (the loop's, usually): the loop's context stays its own.
        var current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(Activity.Current, current))
        {
            Activity.Current = current;
        }
    }

    private static void AddServer(ref TagList tags, string? address, object? port)
    {
        if (address is not null)
        {
            tags.Add("server.address", address);
        }

        if (port is not null)
        {
            tags.Add("server.port", port);
        }
    }

    /// <summary>The <c>error.type</c> of a failure: the exception's full type name, as the conventions ask.</summary>
    internal static string ErrorType(Exception error) => error.GetType().FullName ?? error.GetType().Name;

    /// <summary>The <c>reactivekv.outcome</c> of a failure: timeout, cancelled or error.</summary>
    internal static string Outcome(Exception error) => error switch
    {
        ReactorTimeoutException or TimeoutException => "timeout",
        OperationCanceledException => "cancelled",
        _ => "error",
    };
}
