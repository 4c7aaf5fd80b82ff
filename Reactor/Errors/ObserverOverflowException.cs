namespace ReactiveKv;

/// <summary>
/// A subscriber outside the reactor fell so far behind a stream that the notifications waiting for it reached their
/// bound; it was unsubscribed with this error rather than let memory grow without limit.
/// </summary>
public class ObserverOverflowException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public ObserverOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ObserverOverflowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
