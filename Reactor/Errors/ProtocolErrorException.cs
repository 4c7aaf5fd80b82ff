namespace ReactiveKv;

/// <summary>The peer sent bytes that violate the protocol; the connection is failed with this reason.</summary>
public class ProtocolErrorException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public ProtocolErrorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ProtocolErrorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
