namespace ReactiveKv.Redis;

/// <summary>What a <see cref="RedisMessage"/> reports.</summary>
public enum RedisMessageKind
{
    /// <summary>A published message.</summary>
    Message,

    /// <summary>The server confirmed the subscription: messages published from now on arrive.</summary>
    Subscribed,

    /// <summary>
    /// The subscriber connection was lost and has been restored; messages published while it was down are lost
    /// (Redis pub/sub keeps nothing for absent subscribers).
    /// </summary>
    Gap,

    /// <summary>
    /// The server ended a shard channel's subscription because the channel's hash slot moved to another node. A
    /// cluster client subscribes again on the new owner and reports a <see cref="Gap"/> instead; only a client
    /// connected to a single node of a cluster sees this.
    /// </summary>
    SlotMoved,
}
