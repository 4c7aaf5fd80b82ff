namespace ReactiveKv.Redis;

/// <summary>
/// A command failed because of the library or the network, not because Redis refused it: connection refused or
/// lost, malformed reply, full backlog, client disposed. <see cref="MayHaveExecuted"/> says whether the command had
/// been written, so callers know whether a non-idempotent command may have run.
/// </summary>
public class RedisConnectionException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public RedisConnectionException(string message, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, innerException)
    {
        MayHaveExecuted = mayHaveExecuted;
    }

    /// <summary>True when the command had been sent to the server before the failure.</summary>
    public bool MayHaveExecuted { get; }
}
