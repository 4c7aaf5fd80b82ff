namespace ReactiveKv.Keyspace;

/// <summary>
/// A Keyspace call failed because of a node's connection (none could be made, it was lost, the client was disposed);
/// <see cref="ClientConnectionException.MayHaveExecuted"/> says whether a write may have run.
/// </summary>
public sealed class KeyspaceConnectionException : ClientConnectionException
{
    /// <summary>Creates the exception.</summary>
    public KeyspaceConnectionException(string message, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, mayHaveExecuted, innerException)
    {
    }
}
