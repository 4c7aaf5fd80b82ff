namespace ReactiveKv;

/// <summary>A delayed call or Deferred has already fired.</summary>
public class AlreadyCalledException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public AlreadyCalledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AlreadyCalledException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
