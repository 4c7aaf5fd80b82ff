namespace ReactiveKv.Keyspace;

/// <summary>
/// A call the client refused before sending it (the reference library's API_ERROR, -1): a key, prefix, value or
/// test value over the server's limits (which would make the server close the connection), or a batch misuse.
/// Only that call fails; nothing was sent.
/// </summary>
public sealed class KeyspaceBadCallException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public KeyspaceBadCallException(string message)
        : base(message)
    {
    }
}
