namespace ReactiveKv;

/// <summary>The connection was closed cleanly (Twisted's <c>ConnectionDone</c>); passed to <c>ConnectionLost</c>, not thrown at callers.</summary>
public class ConnectionDoneException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public ConnectionDoneException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ConnectionDoneException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
