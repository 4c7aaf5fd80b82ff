namespace ReactiveKv.Redis;

/// <summary>Set commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>SADD: the number of new members.</summary>
    Deferred<long> SAdd(RedisValue key, params RedisValue[] members);

    /// <summary>SADD: the number of new members.</summary>
    Deferred<long> SAdd(RedisValue key, RedisValue[] members, CancellationToken cancellationToken);

    /// <summary>SREM: the number removed.</summary>
    Deferred<long> SRem(RedisValue key, params RedisValue[] members);

    /// <summary>SREM: the number removed.</summary>
    Deferred<long> SRem(RedisValue key, RedisValue[] members, CancellationToken cancellationToken);

    /// <summary>SMEMBERS.</summary>
    Deferred<string?[]> SMembers(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>SISMEMBER.</summary>
    Deferred<bool> SIsMember(RedisValue key, RedisValue member, CancellationToken cancellationToken = default);

    /// <summary>SCARD.</summary>
    Deferred<long> SCard(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>SINTER.</summary>
    Deferred<string?[]> SInter(params RedisValue[] keys);

    /// <summary>SINTER.</summary>
    Deferred<string?[]> SInter(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>SUNION.</summary>
    Deferred<string?[]> SUnion(params RedisValue[] keys);

    /// <summary>SUNION.</summary>
    Deferred<string?[]> SUnion(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>SDIFF.</summary>
    Deferred<string?[]> SDiff(params RedisValue[] keys);

    /// <summary>SDIFF.</summary>
    Deferred<string?[]> SDiff(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>SINTERSTORE: the size of the stored set.</summary>
    Deferred<long> SInterStore(RedisValue destination, params RedisValue[] keys);

    /// <summary>SINTERSTORE: the size of the stored set.</summary>
    Deferred<long> SInterStore(RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>SUNIONSTORE.</summary>
    Deferred<long> SUnionStore(RedisValue destination, params RedisValue[] keys);

    /// <summary>SUNIONSTORE.</summary>
    Deferred<long> SUnionStore(RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>SDIFFSTORE.</summary>
    Deferred<long> SDiffStore(RedisValue destination, params RedisValue[] keys);

    /// <summary>SDIFFSTORE.</summary>
    Deferred<long> SDiffStore(RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>SMOVE: true when moved.</summary>
    Deferred<bool> SMove(RedisValue source, RedisValue destination, RedisValue member, CancellationToken cancellationToken = default);

    /// <summary>SPOP of one member.</summary>
    Deferred<string?> SPop(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>SPOP of up to <paramref name="count"/> members.</summary>
    Deferred<string?[]> SPop(RedisValue key, long count, CancellationToken cancellationToken = default);

    /// <summary>SRANDMEMBER of one member.</summary>
    Deferred<string?> SRandMember(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>SRANDMEMBER with a count (negative allows repeats).</summary>
    Deferred<string?[]> SRandMember(RedisValue key, long count, CancellationToken cancellationToken = default);
}
