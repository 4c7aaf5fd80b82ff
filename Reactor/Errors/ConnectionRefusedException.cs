namespace ReactiveKv;

/// <summary>The peer refused the connection (nothing listens there).</summary>
public class ConnectionRefusedException : ConnectException
{
    /// <summary>Creates the exception with a message.</summary>
    public ConnectionRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ConnectionRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
