namespace ReactiveKv;

/// <summary>A request to a server got no reply before its deadline.</summary>
public class OperationTimeoutException : ReactorTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public OperationTimeoutException(string message, string operation, TimeSpan timeout, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, timeout, innerException)
    {
        Operation = operation;
        MayHaveExecuted = mayHaveExecuted;
    }

    /// <summary>The operation that timed out.</summary>
    public string Operation { get; }

    /// <summary>True when the request had been written, so it may still run (or have run) on the server.</summary>
    public bool MayHaveExecuted { get; }
}
