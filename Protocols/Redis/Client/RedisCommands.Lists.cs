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
        Canceled<string?>(cancellationToken) ?? Run("LPOP", Replies.String, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> RPop(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("RPOP", Replies.String, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> LRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("LRANGE", Replies.Strings, key, start, stop).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> LLen(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("LLEN", Replies.Integer, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> LIndex(RedisValue key, long index, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("LINDEX", Replies.String, key, index).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> LSet(RedisValue key, long index, RedisValue value, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("LSET", Replies.Ok, key, index, value).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> LInsert(RedisValue key, ListPosition position, RedisValue pivot, RedisValue value, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("LINSERT", Replies.Integer, key, position == ListPosition.Before ? "BEFORE" : "AFTER", pivot, value).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> LRem(RedisValue key, long count, RedisValue value, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("LREM", Replies.Integer, key, count, value).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> LTrim(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("LTRIM", Replies.Ok, key, start, stop).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> RPopLPush(RedisValue source, RedisValue destination, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("RPOPLPUSH", Replies.String, source, destination).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> LMove(RedisValue source, RedisValue destination, ListEnd from, ListEnd to, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("LMOVE", Replies.String, source, destination, from.ToString().ToUpperInvariant(), to.ToString().ToUpperInvariant()).WithCancellation(cancellationToken);
}
