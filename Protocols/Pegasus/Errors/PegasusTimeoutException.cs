namespace ReactiveKv.Pegasus;

/// <summary>An operation did not complete within its deadline (retries included). A write may still have been applied.</summary>
public sealed class PegasusTimeoutException : OperationTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public PegasusTimeoutException(string message, string operation, TimeSpan timeout, Exception? inner = null)
        : base(message, operation, timeout, mayHaveExecuted: true, inner)
    {
    }

    /// <summary>The Pegasus error name a timeout has on the wire: <c>ERR_TIMEOUT</c>.</summary>
    public string ErrorName => DsnErrors.Timeout;
}
