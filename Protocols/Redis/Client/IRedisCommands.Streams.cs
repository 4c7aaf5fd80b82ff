namespace ReactiveKv.Redis;

/// <summary>Stream commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>XADD: appends an entry (ID <c>*</c>: the server picks it), optionally capping the stream length (approximately, with <c>~</c>); returns the ID.</summary>
    Deferred<string?> XAdd(RedisValue key, IEnumerable<KeyValuePair<RedisValue, RedisValue>> fields, string id = "*", long? maxLength = null, bool approximate = true, CancellationToken cancellationToken = default);

    /// <summary>XRANGE between IDs (<c>-</c> and <c>+</c> for the ends).</summary>
    Deferred<StreamEntry[]> XRange(RedisValue key, string start = "-", string end = "+", long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XREVRANGE (end first).</summary>
    Deferred<StreamEntry[]> XRevRange(RedisValue key, string end = "+", string start = "-", long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XLEN.</summary>
    Deferred<long> XLen(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>XDEL.</summary>
    Deferred<long> XDel(RedisValue key, params RedisValue[] ids);

    /// <summary>XDEL.</summary>
    Deferred<long> XDel(RedisValue key, RedisValue[] ids, CancellationToken cancellationToken);

    /// <summary>XTRIM MAXLEN.</summary>
    Deferred<long> XTrim(RedisValue key, long maxLength, bool approximate = false, CancellationToken cancellationToken = default);

    /// <summary>XREAD without blocking: entries after each given ID, per stream.</summary>
    Deferred<IReadOnlyDictionary<string, StreamEntry[]>> XRead(IEnumerable<KeyValuePair<RedisValue, string>> streams, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XGROUP CREATE (optionally creating the stream with MKSTREAM).</summary>
    Deferred<bool> XGroupCreate(RedisValue key, RedisValue group, string startId = "$", bool createStream = false, CancellationToken cancellationToken = default);

    /// <summary>XGROUP DESTROY.</summary>
    Deferred<bool> XGroupDestroy(RedisValue key, RedisValue group, CancellationToken cancellationToken = default);

    /// <summary>XREADGROUP without blocking: new entries (<c>&gt;</c>) or this consumer's pending ones (<c>0</c>).</summary>
    Deferred<StreamEntry[]> XReadGroup(RedisValue group, RedisValue consumer, RedisValue key, string id = ">", long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XACK: the number acknowledged.</summary>
    Deferred<long> XAck(RedisValue key, RedisValue group, params RedisValue[] ids);

    /// <summary>XACK: the number acknowledged.</summary>
    Deferred<long> XAck(RedisValue key, RedisValue group, RedisValue[] ids, CancellationToken cancellationToken);

    /// <summary>XPENDING summary.</summary>
    Deferred<StreamPendingSummary> XPending(RedisValue key, RedisValue group, CancellationToken cancellationToken = default);

    /// <summary>XCLAIM: takes entries idle for at least <paramref name="minIdle"/> for <paramref name="consumer"/>.</summary>
    Deferred<StreamEntry[]> XClaim(RedisValue key, RedisValue group, RedisValue consumer, TimeSpan minIdle, params RedisValue[] ids);

    /// <summary>XCLAIM: takes entries idle for at least <paramref name="minIdle"/> for <paramref name="consumer"/>.</summary>
    Deferred<StreamEntry[]> XClaim(RedisValue key, RedisValue group, RedisValue consumer, TimeSpan minIdle, RedisValue[] ids, CancellationToken cancellationToken);
}
