namespace ReactiveKv.Keyspace;

/// <summary>A Keyspace call got no reply within its global timeout (the reference library's GLOBAL_TIMEOUT, -302).</summary>
public sealed class KeyspaceTimeoutException : OperationTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public KeyspaceTimeoutException(string message, string operation, TimeSpan timeout, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, operation, timeout, mayHaveExecuted, innerException)
    {
    }
}
