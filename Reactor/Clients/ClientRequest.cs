using System.Diagnostics;

namespace ReactiveKv;

/// <summary>
/// One request a <see cref="ClientConnectionService{TProtocol, TRequest}"/> carries to a server: the backend's
/// command, call or RPC. The service decides when it is written and when it expires; the backend's
/// <see cref="ClientProtocol{TRequest}"/> encodes it and matches its reply. A request that expired or was cancelled
/// after being written keeps its place until its reply arrives, which is then dropped, so the reply stream stays in step.
/// </summary>
public abstract class ClientRequest
{
    private bool _answered;
    private IDelayedCall? _expiry;

    /// <summary>What the request does, as error messages name it (a command or procedure name).</summary>
    public abstract string Operation { get; }

    /// <summary>True once the request was handed to a connection: from then on it may have executed.</summary>
    public bool Written { get; set; }

    /// <summary>True once its reply was read, whatever became of it: nothing is left to time out.</summary>
    /// <remarks>
    /// Setting it (on the loop, as protocols do when they read the reply) cancels the request's own expiry timer, if
    /// it has one: the timer waits in the loop's queue until due, and must not keep the request, its arguments and its
    /// result alive that long (a client making 36,000 calls a second with 5-second deadlines held 128,000 of them).
    /// </remarks>
    public bool Answered
    {
        get => _answered;
        set
        {
            _answered = value;
            if (value)
            {
                CancelExpiry();
            }
        }
    }

    /// <summary>
    /// The timer that fails the request at a deadline of its own (not the service's default one, which a single
    /// timer covers). Loop thread only. Replacing it (a router sending the request again) cancels the previous one.
    /// </summary>
    internal IDelayedCall? Expiry
    {
        get => _expiry;
        set
        {
            CancelExpiry();
            _expiry = value;
        }
    }

    /// <summary>True once its result was delivered (a value, an error, a timeout or a cancellation).</summary>
    public abstract bool IsSettled { get; }

    /// <summary>
    /// When its deadline passes on the loop clock, set by the service when it accepts the request
    /// (<see cref="DateTimeOffset.MaxValue"/> when it has none): a router that sends it again elsewhere keeps to it.
    /// </summary>
    public DateTimeOffset Due { get; internal set; }

    /// <summary>The time it was given when the service accepted it (for the timeout's message).</summary>
    internal TimeSpan Limit { get; set; }

    /// <summary>Settles the request with <paramref name="error"/>, unless it is settled already.</summary>
    public abstract void Fail(Exception error);

    /// <summary>
    /// The operation as telemetry names it (<c>db.operation.name</c>, <c>messaging.operation.name</c>): a name of few
    /// values, never keys or other data; by default <see cref="Operation"/>.
    /// </summary>
    protected internal virtual string TelemetryOperation => Operation;

    /// <summary>The activity's name; by default <see cref="TelemetryOperation"/>.</summary>
    protected internal virtual string TelemetrySpanName => TelemetryOperation;

    /// <summary>The activity's kind: a database call is a Client span, a publish a Producer one.</summary>
    protected internal virtual ActivityKind TelemetryActivityKind => ActivityKind.Client;

    /// <summary>Messages this request sends to a broker (<c>messaging.client.sent.messages</c>); none by default.</summary>
    protected internal virtual int TelemetryMessages => 0;

    /// <summary>Adds the backend's own tags, for both the activity and the metrics (<c>db.namespace</c>, <c>messaging.destination.name</c>).</summary>
    protected internal virtual void AddTelemetryTags(ref TagList tags)
    {
    }

    /// <summary>Adds tags that belong on the activity only, being too varied for metrics (an AMQP routing key).</summary>
    protected internal virtual void AddSpanTags(Activity activity)
    {
    }

    /// <summary>The measurement under way, while something listens and the request has not settled.</summary>
    internal RequestTelemetry? Measured => _measured;

    /// <summary>True while the request is measured: a backend checks it before working out how its reply is reported.</summary>
    protected bool IsMeasured => _measured is { Service: not null };

    private RequestTelemetry? _measured;

    /// <summary>Starts measuring this request, unless it is measured already (a request sent again after a redirect).</summary>
    internal void StartMeasuring(ServiceTelemetry service)
    {
        if (_measured is not { Service: not null })
        {
            _measured = service.Telemetry.Start(this, service, _measured?.Activity);
        }
    }

    /// <summary>
    /// For a request made on its caller's thread and submitted later from the loop (a backend that routes on its
    /// loop): remembers the caller's activity, while <paramref name="telemetry"/> is traced, so the request's activity
    /// becomes its child rather than a root.
    /// </summary>
    protected void RememberCaller(ClientTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        if (telemetry.Source.HasListeners() && Activity.Current is { } caller)
        {
            _measured = new RequestTelemetry(null, caller, 0);
        }
    }

    /// <summary>
    /// The completion hook: the backend calls it where the request settles (a reply, an error reply, a failure), and the
    /// service calls it when it fails the request itself. Only the first call counts; with nothing measured it does nothing.
    /// </summary>
    protected internal void ReportSettled(Exception? error)
    {
        if (IsMeasured)
        {
            Finish(error is null ? null : ClientTelemetry.ErrorType(error), error is null ? "ok" : ClientTelemetry.Outcome(error));
        }
    }

    /// <summary>The completion hook for a backend whose failures are codes (Pegasus's ERR_TIMEOUT): null means success.</summary>
    protected internal void ReportSettled(string? errorType, bool timedOut = false)
    {
        if (IsMeasured)
        {
            Finish(errorType, errorType is null ? "ok" : timedOut ? "timeout" : "error");
        }
    }

    /// <summary>
    /// The completion hook for a request whose caller stopped waiting (cancelled it) before its reply came: the reply, or
    /// the loss of the connection, ends its measurement as cancelled.
    /// </summary>
    protected internal void ReportAbandoned()
    {
        if (IsMeasured)
        {
            Finish(typeof(OperationCanceledException).FullName, "cancelled");
        }
    }

    /// <summary>
    /// Moves the measurement of <paramref name="original"/> to this request, which settles the same result in its place
    /// (a copy sent elsewhere after a redirect): one operation, one activity.
    /// </summary>
    protected void TakeMeasurementFrom(ClientRequest original) => _measured = Interlocked.Exchange(ref original._measured, null);

    private void Finish(string? errorType, string outcome)
    {
        // A request may settle on the loop while its caller cancels it on another thread: only one of them reports.
        if (Interlocked.Exchange(ref _measured, null) is { Service: { } service } measured)
        {
            service.Telemetry.Finish(this, service, measured, errorType, outcome);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Operation;

    private void CancelExpiry()
    {
        if (_expiry is { } expiry)
        {
            _expiry = null;
            if (expiry.Active)
            {
                expiry.Cancel();
            }
        }
    }
}
