namespace ReactiveKv.Pegasus;

/// <summary>An operation did not complete within its deadline (retries included). A write may still have been applied.</summary>
public sealed class PegasusTimeoutException : PegasusException
{
    /// <summary>Creates the exception.</summary>
    public PegasusTimeoutException(string message, Exception? inner = null)
        : base(message, DsnErrors.Timeout, null, inner)
    {
    }
}
