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
}
