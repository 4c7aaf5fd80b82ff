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
