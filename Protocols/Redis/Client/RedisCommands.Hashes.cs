namespace ReactiveKv.Redis;

/// <summary>Hash commands.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> HSet(RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("HSET", Replies.Integer, cancellationToken, key, field, value);

    /// <inheritdoc/>
    public Deferred<long> HSet(RedisValue key, params KeyValuePair<RedisValue, RedisValue>[] fields) =>
        Run("HSET", Replies.Integer, Args(key, fields.SelectMany(p => new[] { p.Key, p.Value })));

    /// <inheritdoc/>
    public Deferred<long> HSet<TFields>(RedisValue key, TFields fields, CancellationToken cancellationToken)
        where TFields : IEnumerable<KeyValuePair<RedisValue, RedisValue>> =>
        Canceled<long>(cancellationToken) ?? HSet(key, fields as KeyValuePair<RedisValue, RedisValue>[] ?? [.. fields]).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> HSetNX(RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("HSETNX", Replies.Boolean, cancellationToken, key, field, value);

    /// <inheritdoc/>
    public Deferred<string?> HGet(RedisValue key, RedisValue field, CancellationToken cancellationToken = default) =>
        Run("HGET", Replies.String, cancellationToken, key, field);

    /// <inheritdoc/>
    public Deferred<string?[]> HMGet(RedisValue key, params RedisValue[] fields) => Run("HMGET", Replies.Strings, Args(key, fields));

    /// <inheritdoc/>
    public Deferred<string?[]> HMGet(RedisValue key, RedisValue[] fields, CancellationToken cancellationToken) =>
        Canceled<string?[]>(cancellationToken) ?? HMGet(key, fields).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<Dictionary<string, string>> HGetAll(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("HGETALL", Replies.StringMap, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> HDel(RedisValue key, params RedisValue[] fields) => Run("HDEL", Replies.Integer, Args(key, fields));

    /// <inheritdoc/>
    public Deferred<long> HDel(RedisValue key, RedisValue[] fields, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? HDel(key, fields).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> HExists(RedisValue key, RedisValue field, CancellationToken cancellationToken = default) =>
        Run("HEXISTS", Replies.Boolean, cancellationToken, key, field);

    /// <inheritdoc/>
    public Deferred<long> HIncrBy(RedisValue key, RedisValue field, long amount, CancellationToken cancellationToken = default) =>
        Run("HINCRBY", Replies.Integer, cancellationToken, key, field, amount);

    /// <inheritdoc/>
    public Deferred<double> HIncrByFloat(RedisValue key, RedisValue field, double amount, CancellationToken cancellationToken = default) =>
        Run("HINCRBYFLOAT", Replies.Double, cancellationToken, key, field, amount);

    /// <inheritdoc/>
    public Deferred<string?[]> HKeys(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("HKEYS", Replies.Strings, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?[]> HVals(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("HVALS", Replies.Strings, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> HLen(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("HLEN", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> HStrLen(RedisValue key, RedisValue field, CancellationToken cancellationToken = default) =>
        Run("HSTRLEN", Replies.Integer, cancellationToken, key, field);
}
