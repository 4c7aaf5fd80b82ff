namespace ReactiveKv;

/// <summary>An endpoint description string could not be parsed.</summary>
public class EndpointSyntaxException : FormatException
{
    /// <summary>Creates the exception with a message.</summary>
    public EndpointSyntaxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public EndpointSyntaxException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
