namespace ReactiveKv;

/// <summary>A synchronous wait on a result was attempted on a reactor thread, where it could only deadlock.</summary>
public class BlockingCallOnReactorThreadException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public BlockingCallOnReactorThreadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BlockingCallOnReactorThreadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
