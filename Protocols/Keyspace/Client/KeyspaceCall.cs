namespace ReactiveKv.Keyspace;

/// <summary>
/// One Keyspace command on its way: the wire request (its id is set per connection when written), where it may go
/// (master only or any node), its global deadline, and the final reply. A list's items are gathered here and handed
/// over with its end mark, so a list that must be re-sent after a loss never delivers an item twice.
/// </summary>
internal sealed class KeyspaceCall : ClientRequest
{
    public KeyspaceCall(KeyspaceRequest wire, string operation, DateTimeOffset deadline)
    {
        Wire = wire;
        Operation = operation;
        Deadline = deadline;

        // Made on the caller's thread, sent from the router's loop: the caller's activity is kept for the call's.
        RememberCaller(KeyspaceTelemetry.Instance);
    }

    /// <summary>The request as it goes on the wire.</summary>
    public KeyspaceRequest Wire { get; }

    /// <inheritdoc />
    public override string Operation { get; }

    /// <summary>The command ("Set"), never the key that <see cref="Operation"/> names.</summary>
    protected override string TelemetryOperation => Wire.Command.ToString();

    /// <summary>When the global timeout ends the call, on the loop clock; it is not reset by retries.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>True for writes: answered after a round, followed by a submit, never re-sent once possibly applied.</summary>
    public bool IsWrite => KeyspaceRequest.IsWrite(Wire.Command);

    /// <summary>True when only the master may answer (writes and safe reads).</summary>
    public bool NeedsMaster => KeyspaceRequest.IsMasterOnly(Wire.Command);

    /// <summary>True for list requests, answered by items and an end mark.</summary>
    public bool IsList => KeyspaceRequest.IsList(Wire.Command);

    /// <summary>The items of a list reply so far.</summary>
    public List<KeyspaceReply> Items { get; } = [];

    /// <summary>The final reply: <c>o</c>, a genuine <c>f</c>, or a list's <c>.</c> (with <see cref="Items"/> complete).</summary>
    public Deferred<KeyspaceReply> Reply { get; } = new();

    /// <summary>The order in which the current connection wrote it, to tell what came before a rejection.</summary>
    public long Sequence { get; set; }

    /// <inheritdoc />
    public override bool IsSettled => Reply.Called;

    /// <inheritdoc />
    public override void Fail(Exception error)
    {
        ReportSettled(error);
        Reply.TryErrback(error);
    }

    /// <summary>Delivers the final reply (a genuine <c>f</c> is a result the caller reads, not a failure of the call).</summary>
    public void Succeed(KeyspaceReply reply)
    {
        // Reported before the result is delivered: the caller's continuation may run inline, and is not the call's time.
        ReportSettled((Exception?)null);
        Reply.TryCallback(reply);
    }

    /// <summary>Forgets what an earlier attempt collected, before the call is sent again.</summary>
    public void PrepareRetry()
    {
        Items.Clear();
        Written = false;
        Answered = false;
    }
}
