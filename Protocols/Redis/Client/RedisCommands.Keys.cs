namespace ReactiveKv.Redis;

/// <summary>Key and server commands.</summary>
public abstract partial class RedisCommands
{
    /// <summary>DEL: the number of keys removed.</summary>
    public Deferred<long> Del(params RedisValue[] keys) => Run("DEL", Replies.Integer, keys);

    /// <summary>UNLINK: DEL that frees memory in the background.</summary>
    public Deferred<long> Unlink(params RedisValue[] keys) => Run("UNLINK", Replies.Integer, keys);

    /// <summary>EXISTS: how many of the keys exist.</summary>
    public Deferred<long> Exists(params RedisValue[] keys) => Run("EXISTS", Replies.Integer, keys);

    /// <summary>KEYS (blocks the server on big databases: prefer <see cref="RedisDatabase.Scan"/>).</summary>
    public Deferred<string?[]> Keys(RedisValue pattern) => Run("KEYS", Replies.Strings, pattern);

    /// <summary>EXPIRE (whole seconds) or PEXPIRE (when the TTL has milliseconds): true when set.</summary>
    public Deferred<bool> Expire(RedisValue key, TimeSpan ttl) => ttl.Ticks % TimeSpan.TicksPerSecond == 0
        ? Run("EXPIRE", Replies.Boolean, key, (long)ttl.TotalSeconds)
        : Run("PEXPIRE", Replies.Boolean, key, (long)ttl.TotalMilliseconds);

    /// <summary>EXPIREAT.</summary>
    public Deferred<bool> ExpireAt(RedisValue key, DateTimeOffset when) => Run("EXPIREAT", Replies.Boolean, key, when.ToUnixTimeSeconds());

    /// <summary>PERSIST: true when a TTL was removed.</summary>
    public Deferred<bool> Persist(RedisValue key) => Run("PERSIST", Replies.Boolean, key);

    /// <summary>TTL in seconds; -1 without expiry, -2 when the key is missing.</summary>
    public Deferred<long> Ttl(RedisValue key) => Run("TTL", Replies.Integer, key);

    /// <summary>PTTL in milliseconds.</summary>
    public Deferred<long> PTtl(RedisValue key) => Run("PTTL", Replies.Integer, key);

    /// <summary>RENAME.</summary>
    public Deferred<bool> Rename(RedisValue key, RedisValue newKey) => Run("RENAME", Replies.Ok, key, newKey);

    /// <summary>RENAMENX: true when renamed.</summary>
    public Deferred<bool> RenameNX(RedisValue key, RedisValue newKey) => Run("RENAMENX", Replies.Boolean, key, newKey);

    /// <summary>MOVE to another database: true when moved.</summary>
    public Deferred<bool> Move(RedisValue key, int database) => Run("MOVE", Replies.Boolean, key, database);

    /// <summary>RANDOMKEY: null when the database is empty.</summary>
    public Deferred<string?> RandomKey() => Run("RANDOMKEY", Replies.String);

    /// <summary>TYPE: string, list, set, zset, hash, stream or none.</summary>
    public Deferred<string?> Type(RedisValue key) => Run("TYPE", Replies.String, key);

    /// <summary>DBSIZE.</summary>
    public Deferred<long> DbSize() => Run("DBSIZE", Replies.Integer);

    /// <summary>FLUSHDB.</summary>
    public Deferred<bool> FlushDb() => Run("FLUSHDB", Replies.Ok);

    /// <summary>PUBLISH: the number of subscribers that received it.</summary>
    public Deferred<long> Publish(RedisValue channel, RedisValue message) => Run(new RedisCommand<long>("PUBLISH", -1, [channel, message], Replies.Integer));

    /// <summary>SPUBLISH to a shard channel.</summary>
    public Deferred<long> SPublish(RedisValue channel, RedisValue message) => Run(new RedisCommand<long>("SPUBLISH", -1, [channel, message], Replies.Integer));
}
