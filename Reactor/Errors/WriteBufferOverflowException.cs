namespace ReactiveKv;

/// <summary>A transport's unsent data exceeded its hard limit, because the writer ignored pause requests.</summary>
public class WriteBufferOverflowException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public WriteBufferOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WriteBufferOverflowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
