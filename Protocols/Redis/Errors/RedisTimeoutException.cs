namespace ReactiveKv.Redis;

/// <summary>A Redis command got no reply before its deadline on the reactor clock.</summary>
public sealed class RedisTimeoutException : OperationTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public RedisTimeoutException(string command, TimeSpan timeout, bool mayHaveExecuted, string? server = null, Exception? connectionError = null)
        : base(
            $"{command}{(server is null ? "" : " to Redis at " + server)} got no reply within {timeout.TotalMilliseconds:0} ms{(mayHaveExecuted ? " (it was sent and may have executed)" : " (it was never sent)")}{(connectionError is null ? "" : "; last connection error: " + connectionError.Message)}.",
            command,
            timeout,
            mayHaveExecuted,
            connectionError)
    {
    }

    /// <summary>The command that timed out.</summary>
    public string Command => Operation;
}
