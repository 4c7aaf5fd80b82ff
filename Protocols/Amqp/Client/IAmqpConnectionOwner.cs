namespace ReactiveKv.Amqp;

/// <summary>What an <see cref="AmqpProtocol"/> tells the connection that owns it. Loop thread.</summary>
internal interface IAmqpConnectionOwner
{
    /// <summary>The AMQP handshake is done: replay topology and consumers before waiting operations go out.</summary>
    Task RecoverAsync(AmqpProtocol protocol);

    /// <summary>A message arrived for one of the channel's consumers.</summary>
    void Delivered(ChannelSession session, BasicDeliver deliver, BasicProperties properties, byte[] body);

    /// <summary>The broker returned a mandatory publish of the channel.</summary>
    void Returned(ChannelSession session, BasicReturn returned, BasicProperties properties, byte[] body);

    /// <summary>The broker cancelled one of the channel's consumers.</summary>
    void ConsumerCancelled(ChannelSession session, string consumerTag);

    /// <summary>The broker closed the channel with an error.</summary>
    void ChannelClosed(ChannelSession session, AmqpChannelException error);

    /// <summary>An open connection went away (the broker closed it, the socket dropped, heartbeats stopped).</summary>
    void ConnectionLost(Exception reason);

    /// <summary>The broker blocked publishing (a reason) or unblocked it (null).</summary>
    void BlockedChanged(string? reason);
}
