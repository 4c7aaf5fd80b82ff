namespace ReactiveKv;

/// <summary>Something was awaited that only a running reactor can finish: start it first (<c>reactor.Start()</c>, <c>Run</c> or a hosted service).</summary>
public class ReactorNotRunningException : ReactorException
{
    /// <summary>Creates the exception with a message.</summary>
    public ReactorNotRunningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReactorNotRunningException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
