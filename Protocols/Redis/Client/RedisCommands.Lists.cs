namespace ReactiveKv.Redis;

/// <summary>List commands.</summary>
public abstract partial class RedisCommands
{
    /// <summary>LPUSH: the new length.</summary>
    public Deferred<long> LPush(RedisValue key, params RedisValue[] values) => Run("LPUSH", Replies.Integer, Args(key, values));

    /// <summary>RPUSH: the new length.</summary>
    public Deferred<long> RPush(RedisValue key, params RedisValue[] values) => Run("RPUSH", Replies.Integer, Args(key, values));

    /// <summary>LPUSHX: pushes only onto an existing list.</summary>
    public Deferred<long> LPushX(RedisValue key, params RedisValue[] values) => Run("LPUSHX", Replies.Integer, Args(key, values));

    /// <summary>RPUSHX: pushes only onto an existing list.</summary>
    public Deferred<long> RPushX(RedisValue key, params RedisValue[] values) => Run("RPUSHX", Replies.Integer, Args(key, values));

    /// <summary>LPOP.</summary>
    public Deferred<string?> LPop(RedisValue key) => Run("LPOP", Replies.String, key);

    /// <summary>RPOP.</summary>
    public Deferred<string?> RPop(RedisValue key) => Run("RPOP", Replies.String, key);

    /// <summary>LRANGE (inclusive; negative indexes count from the end).</summary>
    public Deferred<string?[]> LRange(RedisValue key, long start, long stop) => Run("LRANGE", Replies.Strings, key, start, stop);

    /// <summary>LLEN.</summary>
    public Deferred<long> LLen(RedisValue key) => Run("LLEN", Replies.Integer, key);

    /// <summary>LINDEX.</summary>
    public Deferred<string?> LIndex(RedisValue key, long index) => Run("LINDEX", Replies.String, key, index);

    /// <summary>LSET.</summary>
    public Deferred<bool> LSet(RedisValue key, long index, RedisValue value) => Run("LSET", Replies.Ok, key, index, value);

    /// <summary>LINSERT: the new length, or -1 when the pivot is missing.</summary>
    public Deferred<long> LInsert(RedisValue key, ListPosition position, RedisValue pivot, RedisValue value) =>
        Run("LINSERT", Replies.Integer, key, position == ListPosition.Before ? "BEFORE" : "AFTER", pivot, value);

    /// <summary>LREM: removes <paramref name="count"/> occurrences (0: all; negative: from the tail).</summary>
    public Deferred<long> LRem(RedisValue key, long count, RedisValue value) => Run("LREM", Replies.Integer, key, count, value);

    /// <summary>LTRIM.</summary>
    public Deferred<bool> LTrim(RedisValue key, long start, long stop) => Run("LTRIM", Replies.Ok, key, start, stop);

    /// <summary>RPOPLPUSH: the moved element, or null.</summary>
    public Deferred<string?> RPopLPush(RedisValue source, RedisValue destination) => Run("RPOPLPUSH", Replies.String, source, destination);

    /// <summary>LMOVE.</summary>
    public Deferred<string?> LMove(RedisValue source, RedisValue destination, ListEnd from, ListEnd to) =>
        Run("LMOVE", Replies.String, source, destination, from.ToString().ToUpperInvariant(), to.ToString().ToUpperInvariant());
}
