namespace ReactiveKv.Redis;

/// <summary>Hash commands.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> HSet(RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("HSET", Replies.Integer, key, field, value).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> HSet(RedisValue key, params KeyValuePair<RedisValue, RedisValue>[] fields) =>
        Run("HSET", Replies.Integer, Args(key, fields.SelectMany(p => new[] { p.Key, p.Value })));

    /// <inheritdoc/>
    public Deferred<long> HSet<TFields>(RedisValue key, TFields fields, CancellationToken cancellationToken)
        where TFields : IEnumerable<KeyValuePair<RedisValue, RedisValue>> =>
        Canceled<long>(cancellationToken) ?? HSet(key, fields as KeyValuePair<RedisValue, RedisValue>[] ?? [.. fields]).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> HSetNX(RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("HSETNX", Replies.Boolean, key, field, value).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> HGet(RedisValue key, RedisValue field, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("HGET", Replies.String, key, field).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> HMGet(RedisValue key, params RedisValue[] fields) => Run("HMGET", Replies.Strings, Args(key, fields));

    /// <inheritdoc/>
    public Deferred<string?[]> HMGet(RedisValue key, RedisValue[] fields, CancellationToken cancellationToken) =>
        Canceled<string?[]>(cancellationToken) ?? HMGet(key, fields).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<Dictionary<string, string>> HGetAll(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<Dictionary<string, string>>(cancellationToken) ?? Run("HGETALL", Replies.StringMap, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> HDel(RedisValue key, params RedisValue[] fields) => Run("HDEL", Replies.Integer, Args(key, fields));

    /// <inheritdoc/>
    public Deferred<long> HDel(RedisValue key, RedisValue[] fields, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? HDel(key, fields).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> HExists(RedisValue key, RedisValue field, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("HEXISTS", Replies.Boolean, key, field).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> HIncrBy(RedisValue key, RedisValue field, long amount, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("HINCRBY", Replies.Integer, key, field, amount).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<double> HIncrByFloat(RedisValue key, RedisValue field, double amount, CancellationToken cancellationToken = default) =>
        Canceled<double>(cancellationToken) ?? Run("HINCRBYFLOAT", Replies.Double, key, field, amount).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> HKeys(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("HKEYS", Replies.Strings, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> HVals(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("HVALS", Replies.Strings, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> HLen(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("HLEN", Replies.Integer, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> HStrLen(RedisValue key, RedisValue field, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("HSTRLEN", Replies.Integer, key, field).WithCancellation(cancellationToken);
}
