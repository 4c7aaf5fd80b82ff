namespace ReactiveKv.Amqp;

/// <summary>Nothing came from the broker for two heartbeat intervals: the connection is considered dead.</summary>
public sealed class AmqpHeartbeatException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpHeartbeatException(string message, TimeSpan interval)
        : base(message) => Interval = interval;

    /// <summary>The negotiated heartbeat interval.</summary>
    public TimeSpan Interval { get; }
}
