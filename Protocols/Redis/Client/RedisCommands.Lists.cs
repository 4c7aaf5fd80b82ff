namespace ReactiveKv.Redis;

/// <summary>List commands.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> LPush(RedisValue key, params RedisValue[] values) => Run("LPUSH", Replies.Integer, Args(key, values));

    /// <inheritdoc/>
    public Deferred<long> LPush(RedisValue key, RedisValue[] values, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? LPush(key, values).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> RPush(RedisValue key, params RedisValue[] values) => Run("RPUSH", Replies.Integer, Args(key, values));

    /// <inheritdoc/>
    public Deferred<long> RPush(RedisValue key, RedisValue[] values, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? RPush(key, values).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> LPushX(RedisValue key, params RedisValue[] values) => Run("LPUSHX", Replies.Integer, Args(key, values));

    /// <inheritdoc/>
    public Deferred<long> LPushX(RedisValue key, RedisValue[] values, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? LPushX(key, values).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> RPushX(RedisValue key, params RedisValue[] values) => Run("RPUSHX", Replies.Integer, Args(key, values));

    /// <inheritdoc/>
    public Deferred<long> RPushX(RedisValue key, RedisValue[] values, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? RPushX(key, values).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> LPop(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("LPOP", Replies.String, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?> RPop(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("RPOP", Replies.String, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?[]> LRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("LRANGE", Replies.Strings, cancellationToken, key, start, stop);

    /// <inheritdoc/>
    public Deferred<long> LLen(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("LLEN", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?> LIndex(RedisValue key, long index, CancellationToken cancellationToken = default) =>
        Run("LINDEX", Replies.String, cancellationToken, key, index);

    /// <inheritdoc/>
    public Deferred<bool> LSet(RedisValue key, long index, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("LSET", Replies.Ok, cancellationToken, key, index, value);

    /// <inheritdoc/>
    public Deferred<long> LInsert(RedisValue key, ListPosition position, RedisValue pivot, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("LINSERT", Replies.Integer, cancellationToken, key, position == ListPosition.Before ? "BEFORE" : "AFTER", pivot, value);

    /// <inheritdoc/>
    public Deferred<long> LRem(RedisValue key, long count, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("LREM", Replies.Integer, cancellationToken, key, count, value);

    /// <inheritdoc/>
    public Deferred<bool> LTrim(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("LTRIM", Replies.Ok, cancellationToken, key, start, stop);

    /// <inheritdoc/>
    public Deferred<string?> RPopLPush(RedisValue source, RedisValue destination, CancellationToken cancellationToken = default) =>
        Run("RPOPLPUSH", Replies.String, cancellationToken, source, destination);

    /// <inheritdoc/>
    public Deferred<string?> LMove(RedisValue source, RedisValue destination, ListEnd from, ListEnd to, CancellationToken cancellationToken = default) =>
        Run("LMOVE", Replies.String, cancellationToken, source, destination, from.ToString().ToUpperInvariant(), to.ToString().ToUpperInvariant());
}
