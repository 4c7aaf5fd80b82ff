namespace ReactiveKv;

/// <summary>An operation or connection attempt did not complete before its deadline on the reactor clock.</summary>
public class ReactorTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public ReactorTimeoutException(string message, TimeSpan timeout)
        : base(message)
    {
        Timeout = timeout;
    }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan Timeout { get; }
}
