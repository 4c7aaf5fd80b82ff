namespace ReactiveKv.Redis;

/// <summary>Key and server commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>DEL: the number of keys removed.</summary>
    Deferred<long> Del(params RedisValue[] keys);

    /// <summary>DEL: the number of keys removed.</summary>
    Deferred<long> Del(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>UNLINK: DEL that frees memory in the background.</summary>
    Deferred<long> Unlink(params RedisValue[] keys);

    /// <summary>UNLINK: DEL that frees memory in the background.</summary>
    Deferred<long> Unlink(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>EXISTS: how many of the keys exist.</summary>
    Deferred<long> Exists(params RedisValue[] keys);

    /// <summary>EXISTS: how many of the keys exist.</summary>
    Deferred<long> Exists(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>KEYS (blocks the server on big databases: prefer <see cref="IRedisDatabase.Scan"/>).</summary>
    Deferred<string?[]> Keys(RedisValue pattern, CancellationToken cancellationToken = default);

    /// <summary>EXPIRE (whole seconds) or PEXPIRE (when the TTL has milliseconds): true when set.</summary>
    Deferred<bool> Expire(RedisValue key, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>EXPIREAT.</summary>
    Deferred<bool> ExpireAt(RedisValue key, DateTimeOffset when, CancellationToken cancellationToken = default);

    /// <summary>PERSIST: true when a TTL was removed.</summary>
    Deferred<bool> Persist(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>TTL in seconds; -1 without expiry, -2 when the key is missing.</summary>
    Deferred<long> Ttl(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>PTTL in milliseconds.</summary>
    Deferred<long> PTtl(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>RENAME.</summary>
    Deferred<bool> Rename(RedisValue key, RedisValue newKey, CancellationToken cancellationToken = default);

    /// <summary>RENAMENX: true when renamed.</summary>
    Deferred<bool> RenameNX(RedisValue key, RedisValue newKey, CancellationToken cancellationToken = default);

    /// <summary>MOVE to another database: true when moved.</summary>
    Deferred<bool> Move(RedisValue key, int database, CancellationToken cancellationToken = default);

    /// <summary>RANDOMKEY: null when the database is empty.</summary>
    Deferred<string?> RandomKey(CancellationToken cancellationToken = default);

    /// <summary>TYPE: string, list, set, zset, hash, stream or none.</summary>
    Deferred<string?> Type(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>DBSIZE.</summary>
    Deferred<long> DbSize(CancellationToken cancellationToken = default);

    /// <summary>FLUSHDB.</summary>
    Deferred<bool> FlushDb(CancellationToken cancellationToken = default);

    /// <summary>PUBLISH: the number of subscribers that received it.</summary>
    Deferred<long> Publish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default);

    /// <summary>SPUBLISH to a shard channel.</summary>
    Deferred<long> SPublish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default);
}
