namespace ReactiveKv.Redis;

/// <summary>Hash commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>HSET of one field: 1 when the field is new, 0 when it was updated.</summary>
    Deferred<long> HSet(RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>HSET of several fields: the number of new fields.</summary>
    Deferred<long> HSet(RedisValue key, params KeyValuePair<RedisValue, RedisValue>[] fields);

    /// <summary>HSET of several fields (an array, a list: any collection of pairs), cancellable: the number of new fields.</summary>
    Deferred<long> HSet<TFields>(RedisValue key, TFields fields, CancellationToken cancellationToken)
        where TFields : IEnumerable<KeyValuePair<RedisValue, RedisValue>>;

    /// <summary>HSETNX.</summary>
    Deferred<bool> HSetNX(RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>HGET.</summary>
    Deferred<string?> HGet(RedisValue key, RedisValue field, CancellationToken cancellationToken = default);

    /// <summary>HMGET: values in field order, null for missing fields.</summary>
    Deferred<string?[]> HMGet(RedisValue key, params RedisValue[] fields);

    /// <summary>HMGET: values in field order, null for missing fields.</summary>
    Deferred<string?[]> HMGet(RedisValue key, RedisValue[] fields, CancellationToken cancellationToken);

    /// <summary>HGETALL.</summary>
    Deferred<Dictionary<string, string>> HGetAll(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>HDEL: the number of fields removed.</summary>
    Deferred<long> HDel(RedisValue key, params RedisValue[] fields);

    /// <summary>HDEL: the number of fields removed.</summary>
    Deferred<long> HDel(RedisValue key, RedisValue[] fields, CancellationToken cancellationToken);

    /// <summary>HEXISTS.</summary>
    Deferred<bool> HExists(RedisValue key, RedisValue field, CancellationToken cancellationToken = default);

    /// <summary>HINCRBY.</summary>
    Deferred<long> HIncrBy(RedisValue key, RedisValue field, long amount, CancellationToken cancellationToken = default);

    /// <summary>HINCRBYFLOAT.</summary>
    Deferred<double> HIncrByFloat(RedisValue key, RedisValue field, double amount, CancellationToken cancellationToken = default);

    /// <summary>HKEYS.</summary>
    Deferred<string?[]> HKeys(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>HVALS.</summary>
    Deferred<string?[]> HVals(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>HLEN.</summary>
    Deferred<long> HLen(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>HSTRLEN.</summary>
    Deferred<long> HStrLen(RedisValue key, RedisValue field, CancellationToken cancellationToken = default);
}
