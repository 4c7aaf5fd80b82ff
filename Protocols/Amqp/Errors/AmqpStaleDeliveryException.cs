namespace ReactiveKv.Amqp;

/// <summary>
/// An ack, nack or reject named a delivery from a connection that has since been lost. Its delivery tag means
/// nothing on the new connection (the broker would kill the channel with "unknown delivery tag"), so nothing was
/// sent; the broker has already requeued the message, and it will be delivered again.
/// </summary>
public sealed class AmqpStaleDeliveryException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpStaleDeliveryException(string message)
        : base(message)
    {
    }
}
