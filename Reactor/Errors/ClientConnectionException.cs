namespace ReactiveKv;

/// <summary>
/// A request failed because of its connection, not because the server refused it: no connection could be made, it
/// was lost, the client was disposed, or the backlog was full. <see cref="MayHaveExecuted"/> is the one rule every
/// backend follows: true when the request had been written before the failure, so a non-idempotent request may
/// have run on the server; false when it never left this process.
/// </summary>
public class ClientConnectionException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public ClientConnectionException(string message, bool mayHaveExecuted = false, Exception? innerException = null)
        : base(message, innerException)
    {
        MayHaveExecuted = mayHaveExecuted;
    }

    /// <summary>True when the request had been written before the failure, so it may have executed on the server.</summary>
    public bool MayHaveExecuted { get; }
}
