namespace ReactiveKv;

/// <summary>A connection could not be made: refused, unreachable, DNS failure, TLS handshake failure or connect timeout.</summary>
public class ConnectException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public ConnectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ConnectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
