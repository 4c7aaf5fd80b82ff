namespace ReactiveKv.Amqp;

/// <summary>
/// The peer sent AMQP bytes that cannot be decoded: a bad frame-end octet, an unknown frame or field type, a length
/// running past what its frame holds, or fields nested deeper than the codec allows. The connection must be closed
/// (a client answers with connection.close 501 frame-error or 502 syntax-error).
/// </summary>
public class AmqpFrameException : ProtocolErrorException
{
    /// <summary>Creates the exception with a message.</summary>
    public AmqpFrameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AmqpFrameException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
