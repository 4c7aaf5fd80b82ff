namespace ReactiveKv.Redis;

/// <summary>String commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>GET: the value as UTF-8 text, or null when the key is missing.</summary>
    Deferred<string?> Get(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>GET: the raw bytes, or null.</summary>
    Deferred<byte[]?> GetBytes(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>GET decoded by <paramref name="codec"/>; default(T) when missing.</summary>
    Deferred<T?> Get<T>(RedisValue key, IRedisCodec<T> codec, CancellationToken cancellationToken = default);

    /// <summary>
    /// SET with optional expiry (EX/PX), condition (NX/XX) and KEEPTTL. True when written, false when the condition
    /// stopped it.
    /// </summary>
    Deferred<bool> Set(RedisValue key, RedisValue value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>SET of a value encoded by <paramref name="codec"/>.</summary>
    Deferred<bool> Set<T>(RedisValue key, T value, IRedisCodec<T> codec, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>SETNX: true when the key was set.</summary>
    Deferred<bool> SetNX(RedisValue key, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>GETSET: sets and returns the old value.</summary>
    Deferred<string?> GetSet(RedisValue key, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>GETDEL: returns and deletes.</summary>
    Deferred<string?> GetDel(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>GETRANGE (inclusive offsets; negative count from the end).</summary>
    Deferred<string?> GetRange(RedisValue key, long start, long end, CancellationToken cancellationToken = default);

    /// <summary>SETRANGE: overwrites from <paramref name="offset"/>; returns the new length.</summary>
    Deferred<long> SetRange(RedisValue key, long offset, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>STRLEN.</summary>
    Deferred<long> StrLen(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>APPEND: returns the new length.</summary>
    Deferred<long> Append(RedisValue key, RedisValue value, CancellationToken cancellationToken = default);

    /// <summary>SETBIT: returns the previous bit.</summary>
    Deferred<bool> SetBit(RedisValue key, long offset, bool value, CancellationToken cancellationToken = default);

    /// <summary>GETBIT.</summary>
    Deferred<bool> GetBit(RedisValue key, long offset, CancellationToken cancellationToken = default);

    /// <summary>BITCOUNT over the whole value, or a byte range.</summary>
    Deferred<long> BitCount(RedisValue key, long? start = null, long? end = null, CancellationToken cancellationToken = default);

    /// <summary>BITOP: stores the result in <paramref name="destination"/>, returns its length.</summary>
    Deferred<long> BitOp(BitOperation operation, RedisValue destination, params RedisValue[] keys);

    /// <summary>BITOP: stores the result in <paramref name="destination"/>, returns its length.</summary>
    Deferred<long> BitOp(BitOperation operation, RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>INCR.</summary>
    Deferred<long> Incr(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>INCRBY.</summary>
    Deferred<long> IncrBy(RedisValue key, long amount, CancellationToken cancellationToken = default);

    /// <summary>INCRBYFLOAT.</summary>
    Deferred<double> IncrByFloat(RedisValue key, double amount, CancellationToken cancellationToken = default);

    /// <summary>DECR.</summary>
    Deferred<long> Decr(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>DECRBY.</summary>
    Deferred<long> DecrBy(RedisValue key, long amount, CancellationToken cancellationToken = default);

    /// <summary>MSET.</summary>
    Deferred<bool> MSet(params KeyValuePair<RedisValue, RedisValue>[] pairs);

    /// <summary>MSET of any collection of pairs (an array, a list), cancellable.</summary>
    Deferred<bool> MSet<TPairs>(TPairs pairs, CancellationToken cancellationToken)
        where TPairs : IEnumerable<KeyValuePair<RedisValue, RedisValue>>;

    /// <summary>MSETNX: true when every key was set (none existed).</summary>
    Deferred<bool> MSetNX(params KeyValuePair<RedisValue, RedisValue>[] pairs);

    /// <summary>MSETNX of any collection of pairs (an array, a list), cancellable: true when every key was set (none existed).</summary>
    Deferred<bool> MSetNX<TPairs>(TPairs pairs, CancellationToken cancellationToken)
        where TPairs : IEnumerable<KeyValuePair<RedisValue, RedisValue>>;

    /// <summary>MGET: values in key order, null for missing keys.</summary>
    Deferred<string?[]> MGet(params RedisValue[] keys);

    /// <summary>MGET: values in key order, null for missing keys.</summary>
    Deferred<string?[]> MGet(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>PING.</summary>
    Deferred<string?> Ping(CancellationToken cancellationToken = default);

    /// <summary>ECHO.</summary>
    Deferred<string?> Echo(RedisValue message, CancellationToken cancellationToken = default);
}
