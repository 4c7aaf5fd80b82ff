namespace ReactiveKv.Redis;

/// <summary>List commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>LPUSH: the new length.</summary>
    Deferred<long> LPush(RedisValue key, params RedisValue[] values);

    /// <summary>LPUSH: the new length.</summary>
    Deferred<long> LPush(RedisValue key, RedisValue[] values, CancellationToken cancellationToken);

    /// <summary>RPUSH: the new length.</summary>
    Deferred<long> RPush(RedisValue key, params RedisValue[] values);

    /// <summary>RPUSH: the new length.</summary>
    Deferred<long> RPush(RedisValue key, RedisValue[] values, CancellationToken cancellationToken);

    /// <summary>LPUSHX: pushes only onto an existing list.</summary>
    Deferred<long> LPushX(RedisValue key, params RedisValue[] values);

    /// <summary>LPUSHX: pushes only onto an existing list.</summary>
    Deferred<long> LPushX(RedisValue key, RedisValue[] values, CancellationToken cancellationToken);

    /// <summary>RPUSHX: pushes only onto an existing list.</summary>
    Deferred<long> RPushX(RedisValue key, params RedisValue[] values);

    /// <summary>RPUSHX: pushes only onto an existing list.</summary>
    Deferred<long> RPushX(RedisValue key, RedisValue[] values, CancellationToken cancellationToken);

    /// <summary>LPOP.</summary>
    Deferred<string?> LPop(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>RPOP.</summary>
    Deferred<string?> RPop(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>LRANGE (inclusive; negative indexes count from the end).</summary>
    Deferred<string?[]> LRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>LLEN.</summary>
    Deferred<long> LLen(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>LINDEX.</summary>
    Deferred<string?> LIndex(RedisValue key, long index, CancellationToken cancellationToken = default);

    /// <summary>LSET.</summary>
    Deferred<bool> LSet(RedisValue key, long index, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>LINSERT: the new length, or -1 when the pivot is missing.</summary>
    Deferred<long> LInsert(RedisValue key, ListPosition position, RedisValue pivot, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>LREM: removes <paramref name="count"/> occurrences (0: all; negative: from the tail).</summary>
    Deferred<long> LRem(RedisValue key, long count, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>LTRIM.</summary>
    Deferred<bool> LTrim(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>RPOPLPUSH: the moved element, or null.</summary>
    Deferred<string?> RPopLPush(RedisValue source, RedisValue destination, CancellationToken cancellationToken = default);

    /// <summary>LMOVE.</summary>
    Deferred<string?> LMove(RedisValue source, RedisValue destination, ListEnd from, ListEnd to, CancellationToken cancellationToken = default);
}
