namespace ReactiveKv;

/// <summary>
/// The connection went away while an operation was outstanding. <see cref="MayHaveReachedServer"/> says whether
/// the request had been written, so callers know whether a non-idempotent operation may have executed.
/// </summary>
public class ConnectionLostException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionLostException(string message, bool mayHaveReachedServer = true, Exception? innerException = null)
        : base(message, innerException)
    {
        MayHaveReachedServer = mayHaveReachedServer;
    }

    /// <summary>True when the request had been handed to the network before the connection went away.</summary>
    public bool MayHaveReachedServer { get; }
}
