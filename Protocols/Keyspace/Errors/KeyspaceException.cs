namespace ReactiveKv.Keyspace;

/// <summary>
/// The server executed a call and answered FAILED (<c>f</c>, the reference library's -402) where the call has no
/// "missing" result of its own: add on a missing or non-numeric value, a set that failed. The connection stays usable.
/// </summary>
public sealed class KeyspaceException : RemoteErrorException
{
    /// <summary>Creates the exception.</summary>
    public KeyspaceException(string message, string operation)
        : base(message) => Operation = operation;

    /// <summary>The call the server failed.</summary>
    public string Operation { get; }
}
