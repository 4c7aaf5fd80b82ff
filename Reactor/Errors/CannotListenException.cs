namespace ReactiveKv;

/// <summary>A listening port could not be opened (address in use, bad path, permission).</summary>
public class CannotListenException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public CannotListenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CannotListenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
