namespace ReactiveKv;

/// <summary>Base of every error raised by ReactiveKv itself (not by a remote server).</summary>
public class ReactorException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public ReactorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReactorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
