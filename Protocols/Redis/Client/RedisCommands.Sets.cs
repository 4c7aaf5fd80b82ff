namespace ReactiveKv.Redis;

/// <summary>Set commands.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> SAdd(RedisValue key, params RedisValue[] members) => Run("SADD", Replies.Integer, Args(key, members));

    /// <inheritdoc/>
    public Deferred<long> SAdd(RedisValue key, RedisValue[] members, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? SAdd(key, members).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> SRem(RedisValue key, params RedisValue[] members) => Run("SREM", Replies.Integer, Args(key, members));

    /// <inheritdoc/>
    public Deferred<long> SRem(RedisValue key, RedisValue[] members, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? SRem(key, members).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> SMembers(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("SMEMBERS", Replies.Strings, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<bool> SIsMember(RedisValue key, RedisValue member, CancellationToken cancellationToken = default) =>
        Run("SISMEMBER", Replies.Boolean, cancellationToken, key, member);

    /// <inheritdoc/>
    public Deferred<long> SCard(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("SCARD", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?[]> SInter(params RedisValue[] keys) => Run("SINTER", Replies.Strings, keys);

    /// <inheritdoc/>
    public Deferred<string?[]> SInter(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<string?[]>(cancellationToken) ?? SInter(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> SUnion(params RedisValue[] keys) => Run("SUNION", Replies.Strings, keys);

    /// <inheritdoc/>
    public Deferred<string?[]> SUnion(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<string?[]>(cancellationToken) ?? SUnion(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> SDiff(params RedisValue[] keys) => Run("SDIFF", Replies.Strings, keys);

    /// <inheritdoc/>
    public Deferred<string?[]> SDiff(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<string?[]>(cancellationToken) ?? SDiff(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> SInterStore(RedisValue destination, params RedisValue[] keys) =>
        Run("SINTERSTORE", Replies.Integer, Args(destination, keys));

    /// <inheritdoc/>
    public Deferred<long> SInterStore(RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? SInterStore(destination, keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> SUnionStore(RedisValue destination, params RedisValue[] keys) =>
        Run("SUNIONSTORE", Replies.Integer, Args(destination, keys));

    /// <inheritdoc/>
    public Deferred<long> SUnionStore(RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? SUnionStore(destination, keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> SDiffStore(RedisValue destination, params RedisValue[] keys) => Run("SDIFFSTORE", Replies.Integer, Args(destination, keys));

    /// <inheritdoc/>
    public Deferred<long> SDiffStore(RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? SDiffStore(destination, keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> SMove(RedisValue source, RedisValue destination, RedisValue member, CancellationToken cancellationToken = default) =>
        Run("SMOVE", Replies.Boolean, cancellationToken, source, destination, member);

    /// <inheritdoc/>
    public Deferred<string?> SPop(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("SPOP", Replies.String, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?[]> SPop(RedisValue key, long count, CancellationToken cancellationToken = default) =>
        Run("SPOP", Replies.Strings, cancellationToken, key, count);

    /// <inheritdoc/>
    public Deferred<string?> SRandMember(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("SRANDMEMBER", Replies.String, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?[]> SRandMember(RedisValue key, long count, CancellationToken cancellationToken = default) =>
        Run("SRANDMEMBER", Replies.Strings, cancellationToken, key, count);
}
