namespace ReactiveKv.Redis;

/// <summary>Stream commands (the blocking forms are on <see cref="RedisClient"/>).</summary>
public abstract partial class RedisCommands
{
    /// <summary>XADD: appends an entry (ID <c>*</c>: the server picks it), optionally capping the stream length (approximately, with <c>~</c>); returns the ID.</summary>
    public Deferred<string?> XAdd(RedisValue key, IEnumerable<KeyValuePair<RedisValue, RedisValue>> fields, string id = "*", long? maxLength = null, bool approximate = true)
    {
        var args = new List<RedisValue> { key };
        if (maxLength is { } max)
        {
            args.AddRange(approximate ? ["MAXLEN", "~", max] : ["MAXLEN", max]);
        }

        args.Add(id);
        foreach (var field in fields)
        {
            args.Add(field.Key);
            args.Add(field.Value);
        }

        return Run("XADD", Replies.String, [.. args]);
    }

    /// <summary>XRANGE between IDs (<c>-</c> and <c>+</c> for the ends).</summary>
    public Deferred<StreamEntry[]> XRange(RedisValue key, string start = "-", string end = "+", long? count = null) =>
        Run("XRANGE", StreamReplies.Entries, count is { } c ? [key, start, end, "COUNT", c] : [key, start, end]);

    /// <summary>XREVRANGE (end first).</summary>
    public Deferred<StreamEntry[]> XRevRange(RedisValue key, string end = "+", string start = "-", long? count = null) =>
        Run("XREVRANGE", StreamReplies.Entries, count is { } c ? [key, end, start, "COUNT", c] : [key, end, start]);

    /// <summary>XLEN.</summary>
    public Deferred<long> XLen(RedisValue key) => Run("XLEN", Replies.Integer, key);

    /// <summary>XDEL.</summary>
    public Deferred<long> XDel(RedisValue key, params RedisValue[] ids) => Run("XDEL", Replies.Integer, Args(key, ids));

    /// <summary>XTRIM MAXLEN.</summary>
    public Deferred<long> XTrim(RedisValue key, long maxLength, bool approximate = false) =>
        Run("XTRIM", Replies.Integer, approximate ? [key, "MAXLEN", "~", maxLength] : [key, "MAXLEN", maxLength]);

    /// <summary>XREAD without blocking: entries after each given ID, per stream.</summary>
    public Deferred<IReadOnlyDictionary<string, StreamEntry[]>> XRead(IEnumerable<KeyValuePair<RedisValue, string>> streams, long? count = null) =>
        Run("XREAD", StreamReplies.Read, StreamReadArgs(count, null, streams));

    /// <summary>XGROUP CREATE (optionally creating the stream with MKSTREAM).</summary>
    public Deferred<bool> XGroupCreate(RedisValue key, RedisValue group, string startId = "$", bool createStream = false) =>
        Run("XGROUP", Replies.Ok, createStream ? ["CREATE", key, group, startId, "MKSTREAM"] : ["CREATE", key, group, startId]);

    /// <summary>XGROUP DESTROY.</summary>
    public Deferred<bool> XGroupDestroy(RedisValue key, RedisValue group) => Run("XGROUP", Replies.Boolean, "DESTROY", key, group);

    /// <summary>XREADGROUP without blocking: new entries (<c>&gt;</c>) or this consumer's pending ones (<c>0</c>).</summary>
    public Deferred<StreamEntry[]> XReadGroup(RedisValue group, RedisValue consumer, RedisValue key, string id = ">", long? count = null) =>
        Run("XREADGROUP", (in RawReply r) => StreamReplies.Read(r).Values.FirstOrDefault() ?? [], GroupReadArgs(group, consumer, key, id, count, null));

    /// <summary>XACK: the number acknowledged.</summary>
    public Deferred<long> XAck(RedisValue key, RedisValue group, params RedisValue[] ids) => Run("XACK", Replies.Integer, Args(key, group, ids));

    /// <summary>XPENDING summary.</summary>
    public Deferred<StreamPendingSummary> XPending(RedisValue key, RedisValue group) => Run("XPENDING", StreamReplies.Pending, key, group);

    /// <summary>XCLAIM: takes entries idle for at least <paramref name="minIdle"/> for <paramref name="consumer"/>.</summary>
    public Deferred<StreamEntry[]> XClaim(RedisValue key, RedisValue group, RedisValue consumer, TimeSpan minIdle, params RedisValue[] ids) =>
        Run("XCLAIM", StreamReplies.Entries, [key, group, consumer, (long)minIdle.TotalMilliseconds, .. ids]);

    internal static RedisValue[] StreamReadArgsFor(long? count, TimeSpan? block, IEnumerable<KeyValuePair<RedisValue, string>> streams) => StreamReadArgs(count, block, streams);

    internal static RedisValue[] GroupReadArgsFor(RedisValue group, RedisValue consumer, RedisValue key, string id, long? count, TimeSpan? block) => GroupReadArgs(group, consumer, key, id, count, block);

    private protected static RedisValue[] StreamReadArgs(long? count, TimeSpan? block, IEnumerable<KeyValuePair<RedisValue, string>> streams)
    {
        var list = streams.ToList();
        var args = new List<RedisValue>();
        if (count is { } c)
        {
            args.AddRange(["COUNT", c]);
        }

        if (block is { } b)
        {
            args.AddRange(["BLOCK", (long)b.TotalMilliseconds]);
        }

        args.Add("STREAMS");
        args.AddRange(list.Select(s => s.Key));
        args.AddRange(list.Select(s => (RedisValue)s.Value));
        return [.. args];
    }

    private protected static RedisValue[] GroupReadArgs(RedisValue group, RedisValue consumer, RedisValue key, string id, long? count, TimeSpan? block)
    {
        var args = new List<RedisValue> { "GROUP", group, consumer };
        if (count is { } c)
        {
            args.AddRange(["COUNT", c]);
        }

        if (block is { } b)
        {
            args.AddRange(["BLOCK", (long)b.TotalMilliseconds]);
        }

        args.AddRange(["STREAMS", key, id]);
        return [.. args];
    }
}
