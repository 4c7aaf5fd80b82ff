namespace ReactiveKv;

/// <summary>A loop-only call was made from another thread.</summary>
public class WrongThreadException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public WrongThreadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WrongThreadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
