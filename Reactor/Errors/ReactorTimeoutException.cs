namespace ReactiveKv;

/// <summary>
/// An operation or connection attempt did not complete before its deadline on the reactor clock. Every timeout the
/// library raises is one of these (<see cref="OperationTimeoutException"/> for requests).
/// </summary>
public class ReactorTimeoutException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public ReactorTimeoutException(string message, TimeSpan timeout, Exception? innerException = null)
        : base(message, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan Timeout { get; }
}
