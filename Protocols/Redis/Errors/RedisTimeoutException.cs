namespace ReactiveKv.Redis;

/// <summary>A command got no reply within its timeout (measured on the reactor clock). Its reply, if it comes, is discarded.</summary>
public sealed class RedisTimeoutException : RedisConnectionException
{
    /// <summary>Creates the exception.</summary>
    public RedisTimeoutException(string command, TimeSpan timeout, bool mayHaveExecuted, Exception? connectionError = null)
        : base($"{command} got no reply within {timeout.TotalMilliseconds:0} ms{(mayHaveExecuted ? " (it was sent and may have executed)" : " (it was never sent)")}{(connectionError is null ? "" : "; last connection error: " + connectionError.Message)}.", mayHaveExecuted, connectionError)
    {
        Command = command;
        Timeout = timeout;
    }

    /// <summary>The command.</summary>
    public string Command { get; }

    /// <summary>The timeout that passed.</summary>
    public TimeSpan Timeout { get; }
}
