namespace ReactiveKv.Redis;

/// <summary>Hash commands.</summary>
public abstract partial class RedisCommands
{
    /// <summary>HSET of one field: 1 when the field is new, 0 when it was updated.</summary>
    public Deferred<long> HSet(RedisValue key, RedisValue field, RedisValue value) => Run("HSET", Replies.Integer, key, field, value);

    /// <summary>HSET of several fields: the number of new fields.</summary>
    public Deferred<long> HSet(RedisValue key, params KeyValuePair<RedisValue, RedisValue>[] fields) =>
        Run("HSET", Replies.Integer, Args(key, fields.SelectMany(p => new[] { p.Key, p.Value })));

    /// <summary>HSETNX.</summary>
    public Deferred<bool> HSetNX(RedisValue key, RedisValue field, RedisValue value) => Run("HSETNX", Replies.Boolean, key, field, value);

    /// <summary>HGET.</summary>
    public Deferred<string?> HGet(RedisValue key, RedisValue field) => Run("HGET", Replies.String, key, field);

    /// <summary>HMGET: values in field order, null for missing fields.</summary>
    public Deferred<string?[]> HMGet(RedisValue key, params RedisValue[] fields) => Run("HMGET", Replies.Strings, Args(key, fields));

    /// <summary>HGETALL.</summary>
    public Deferred<Dictionary<string, string>> HGetAll(RedisValue key) => Run("HGETALL", Replies.StringMap, key);

    /// <summary>HDEL: the number of fields removed.</summary>
    public Deferred<long> HDel(RedisValue key, params RedisValue[] fields) => Run("HDEL", Replies.Integer, Args(key, fields));

    /// <summary>HEXISTS.</summary>
    public Deferred<bool> HExists(RedisValue key, RedisValue field) => Run("HEXISTS", Replies.Boolean, key, field);

    /// <summary>HINCRBY.</summary>
    public Deferred<long> HIncrBy(RedisValue key, RedisValue field, long amount) => Run("HINCRBY", Replies.Integer, key, field, amount);

    /// <summary>HINCRBYFLOAT.</summary>
    public Deferred<double> HIncrByFloat(RedisValue key, RedisValue field, double amount) => Run("HINCRBYFLOAT", Replies.Double, key, field, amount);

    /// <summary>HKEYS.</summary>
    public Deferred<string?[]> HKeys(RedisValue key) => Run("HKEYS", Replies.Strings, key);

    /// <summary>HVALS.</summary>
    public Deferred<string?[]> HVals(RedisValue key) => Run("HVALS", Replies.Strings, key);

    /// <summary>HLEN.</summary>
    public Deferred<long> HLen(RedisValue key) => Run("HLEN", Replies.Integer, key);

    /// <summary>HSTRLEN.</summary>
    public Deferred<long> HStrLen(RedisValue key, RedisValue field) => Run("HSTRLEN", Replies.Integer, key, field);
}
