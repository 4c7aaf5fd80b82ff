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
        Canceled<string?[]>(cancellationToken) ?? Run("KEYS", Replies.Strings, pattern).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> Expire(RedisValue key, TimeSpan ttl, CancellationToken cancellationToken = default) => Canceled<bool>(cancellationToken) ?? (ttl.Ticks % TimeSpan.TicksPerSecond == 0
        ? Run("EXPIRE", Replies.Boolean, key, (long)ttl.TotalSeconds)
        : Run("PEXPIRE", Replies.Boolean, key, (long)ttl.TotalMilliseconds)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> ExpireAt(RedisValue key, DateTimeOffset when, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("EXPIREAT", Replies.Boolean, key, when.ToUnixTimeSeconds()).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> Persist(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("PERSIST", Replies.Boolean, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> Ttl(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("TTL", Replies.Integer, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> PTtl(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("PTTL", Replies.Integer, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> Rename(RedisValue key, RedisValue newKey, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("RENAME", Replies.Ok, key, newKey).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> RenameNX(RedisValue key, RedisValue newKey, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("RENAMENX", Replies.Boolean, key, newKey).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> Move(RedisValue key, int database, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("MOVE", Replies.Boolean, key, database).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> RandomKey(CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("RANDOMKEY", Replies.String).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> Type(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run("TYPE", Replies.String, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> DbSize(CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("DBSIZE", Replies.Integer).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> FlushDb(CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run("FLUSHDB", Replies.Ok).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> Publish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run(new RedisCommand<long>("PUBLISH", -1, [channel, message], Replies.Integer)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> SPublish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run(new RedisCommand<long>("SPUBLISH", -1, [channel, message], Replies.Integer)).WithCancellation(cancellationToken);
}
