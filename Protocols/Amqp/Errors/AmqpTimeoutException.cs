namespace ReactiveKv.Amqp;

/// <summary>An AMQP operation got no answer within its deadline.</summary>
public sealed class AmqpTimeoutException : OperationTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AmqpTimeoutException(string message, string operation, TimeSpan timeout, bool mayHaveExecuted, Exception? innerException = null)
        : base(message, operation, timeout, mayHaveExecuted, innerException)
    {
    }
}
