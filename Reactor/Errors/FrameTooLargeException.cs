namespace ReactiveKv;

/// <summary>A frame or line grew beyond the configured maximum; the connection is failed rather than buffering without bound.</summary>
public class FrameTooLargeException : ProtocolErrorException
{
    /// <summary>Creates the exception with a message.</summary>
    public FrameTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FrameTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
