namespace ReactiveKv;

/// <summary>
/// One request a <see cref="ClientConnectionService{TProtocol, TRequest}"/> carries to a server: the backend's
/// command, call or RPC. The service decides when it is written and when it expires; the backend's
/// <see cref="ClientProtocol{TRequest}"/> encodes it and matches its reply. A request that expired or was cancelled
/// after being written keeps its place until its reply arrives, which is then dropped, so the reply stream stays in step.
/// </summary>
public abstract class ClientRequest
{
    /// <summary>What the request does, as error messages name it (a command or procedure name).</summary>
    public abstract string Operation { get; }

    /// <summary>True once the request was handed to a connection: from then on it may have executed.</summary>
    public bool Written { get; set; }

    /// <summary>True once its reply was read, whatever became of it: nothing is left to time out.</summary>
    public bool Answered { get; set; }

    /// <summary>True once its result was delivered (a value, an error, a timeout or a cancellation).</summary>
    public abstract bool IsSettled { get; }

    /// <summary>
    /// When its deadline passes on the loop clock, set by the service when it accepts the request
    /// (<see cref="DateTimeOffset.MaxValue"/> when it has none): a router that sends it again elsewhere keeps to it.
    /// </summary>
    public DateTimeOffset Due { get; internal set; }

    /// <summary>Settles the request with <paramref name="error"/>, unless it is settled already.</summary>
    public abstract void Fail(Exception error);

    /// <inheritdoc />
    public override string ToString() => Operation;
}
