namespace ReactiveKv;

/// <summary>This side aborted the connection with <c>AbortConnection</c>, dropping unsent data.</summary>
public class ConnectionAbortedException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public ConnectionAbortedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ConnectionAbortedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
