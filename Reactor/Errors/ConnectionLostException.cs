namespace ReactiveKv;

/// <summary>
/// The connection went away while an operation was outstanding. <see cref="ClientConnectionException.MayHaveExecuted"/>
/// says whether the request had been written, so callers know whether a non-idempotent operation may have run.
/// </summary>
public class ConnectionLostException : ClientConnectionException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionLostException(string message, bool mayHaveExecuted = true, Exception? innerException = null)
        : base(message, mayHaveExecuted, innerException)
    {
    }
}
