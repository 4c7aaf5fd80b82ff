namespace ReactiveKv.Amqp;

/// <summary>Nothing came from the broker for two heartbeat intervals: the connection is considered dead.</summary>
public sealed class AmqpHeartbeatException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpHeartbeatException(string message, TimeSpan interval, TimeSpan silence = default)
        : base(message)
    {
        Interval = interval;
        Silence = silence;
    }

    /// <summary>The negotiated heartbeat interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How long nothing had come when the connection was given up (at least two intervals).</summary>
    public TimeSpan Silence { get; }
}
