namespace ReactiveKv.Redis;

/// <summary>
/// A Redis command failed because of its connection (unreachable, lost, disposed, backlog full, malformed reply).
/// <see cref="ClientConnectionException.MayHaveExecuted"/> says whether it had been sent.
/// </summary>
public class RedisConnectionException : ClientConnectionException
{
    /// <summary>Creates the exception.</summary>
    public RedisConnectionException(string message, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, mayHaveExecuted, innerException)
    {
    }
}
