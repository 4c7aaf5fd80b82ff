namespace ReactiveKv.Redis;

/// <summary>Key and server commands.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> Del(params RedisValue[] keys) => Run("DEL", Replies.Integer, keys);

    /// <inheritdoc/>
    public Deferred<long> Del(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? Del(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> Unlink(params RedisValue[] keys) => Run("UNLINK", Replies.Integer, keys);

    /// <inheritdoc/>
    public Deferred<long> Unlink(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? Unlink(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> Exists(params RedisValue[] keys) => Run("EXISTS", Replies.Integer, keys);

    /// <inheritdoc/>
    public Deferred<long> Exists(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? Exists(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> Keys(RedisValue pattern, CancellationToken cancellationToken = default) =>
        Run("KEYS", Replies.Strings, cancellationToken, pattern);

    /// <inheritdoc/>
    public Deferred<bool> Expire(RedisValue key, TimeSpan ttl, CancellationToken cancellationToken = default) => Canceled<bool>(cancellationToken) ?? (ttl.Ticks % TimeSpan.TicksPerSecond == 0
        ? Run("EXPIRE", Replies.Boolean, key, (long)ttl.TotalSeconds)
        : Run("PEXPIRE", Replies.Boolean, key, (long)ttl.TotalMilliseconds)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> ExpireAt(RedisValue key, DateTimeOffset when, CancellationToken cancellationToken = default) =>
        Run("EXPIREAT", Replies.Boolean, cancellationToken, key, when.ToUnixTimeSeconds());

    /// <inheritdoc/>
    public Deferred<bool> Persist(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("PERSIST", Replies.Boolean, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> Ttl(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("TTL", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> PTtl(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("PTTL", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<bool> Rename(RedisValue key, RedisValue newKey, CancellationToken cancellationToken = default) =>
        Run("RENAME", Replies.Ok, cancellationToken, key, newKey);

    /// <inheritdoc/>
    public Deferred<bool> RenameNX(RedisValue key, RedisValue newKey, CancellationToken cancellationToken = default) =>
        Run("RENAMENX", Replies.Boolean, cancellationToken, key, newKey);

    /// <inheritdoc/>
    public Deferred<bool> Move(RedisValue key, int database, CancellationToken cancellationToken = default) =>
        Run("MOVE", Replies.Boolean, cancellationToken, key, database);

    /// <inheritdoc/>
    public Deferred<string?> RandomKey(CancellationToken cancellationToken = default) =>
        Run("RANDOMKEY", Replies.String, cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> Type(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("TYPE", Replies.String, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> DbSize(CancellationToken cancellationToken = default) =>
        Run("DBSIZE", Replies.Integer, cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> FlushDb(CancellationToken cancellationToken = default) =>
        Run("FLUSHDB", Replies.Ok, cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> Publish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run(new RedisCommand<long>("PUBLISH", -1, [channel, message], Replies.Integer)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> SPublish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run(new RedisCommand<long>("SPUBLISH", -1, [channel, message], Replies.Integer)).WithCancellation(cancellationToken);
}
