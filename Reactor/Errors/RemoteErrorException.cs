namespace ReactiveKv;

/// <summary>The server answered an operation with an error of its own; the connection stays usable.</summary>
public class RemoteErrorException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public RemoteErrorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RemoteErrorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
