namespace ReactiveKv;

/// <summary>A delayed call was already cancelled.</summary>
public class AlreadyCancelledException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public AlreadyCancelledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AlreadyCancelledException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
