namespace ReactiveKv.Amqp;

/// <summary>
/// An AMQP operation failed because of its connection: none could be made, it was lost, the broker closed it (see
/// <see cref="ReplyCode"/>), or heartbeats stopped. <see cref="ClientConnectionException.MayHaveExecuted"/> says
/// whether the broker may have acted on it (a publish may have been routed).
/// </summary>
public sealed class AmqpConnectionException : ClientConnectionException
{
    /// <summary>Creates the exception.</summary>
    public AmqpConnectionException(string message, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, mayHaveExecuted, innerException)
    {
    }

    /// <summary>The broker's reply code when it closed the connection (320 forced, 501–541 errors); 0 otherwise.</summary>
    public ushort ReplyCode => InnerException is AmqpBrokerClosedException closed ? closed.ReplyCode : (ushort)0;
}
