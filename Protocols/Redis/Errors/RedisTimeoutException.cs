namespace ReactiveKv.Redis;

/// <summary>A Redis command got no reply before its deadline on the reactor clock.</summary>
public sealed class RedisTimeoutException : OperationTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public RedisTimeoutException(string message, string command, TimeSpan timeout, bool mayHaveExecuted, Exception? connectionError = null)
        : base(message, command, timeout, mayHaveExecuted, connectionError)
    {
    }

    /// <summary>The command that timed out.</summary>
    public string Command => Operation;
}
