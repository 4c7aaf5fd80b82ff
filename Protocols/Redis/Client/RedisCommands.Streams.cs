namespace ReactiveKv.Redis;

/// <summary>Stream commands (the blocking forms are on <see cref="RedisClient"/>).</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<string?> XAdd(RedisValue key, IEnumerable<KeyValuePair<RedisValue, RedisValue>> fields, string id = "*", long? maxLength = null, bool approximate = true, CancellationToken cancellationToken = default)
    {
        if (Canceled<string?>(cancellationToken) is { } canceled)
        {
            return canceled;
        }

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

        return Run("XADD", Replies.String, [.. args]).WithCancellation(cancellationToken);
    }

    /// <inheritdoc/>
    public Deferred<StreamEntry[]> XRange(RedisValue key, string start = "-", string end = "+", long? count = null, CancellationToken cancellationToken = default) =>
        Run("XRANGE", StreamReplies.Entries, cancellationToken, count is { } c ? [key, start, end, "COUNT", c] : [key, start, end]);

    /// <inheritdoc/>
    public Deferred<StreamEntry[]> XRevRange(RedisValue key, string end = "+", string start = "-", long? count = null, CancellationToken cancellationToken = default) =>
        Run("XREVRANGE", StreamReplies.Entries, cancellationToken, count is { } c ? [key, end, start, "COUNT", c] : [key, end, start]);

    /// <inheritdoc/>
    public Deferred<long> XLen(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("XLEN", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> XDel(RedisValue key, params RedisValue[] ids) => Run("XDEL", Replies.Integer, Args(key, ids));

    /// <inheritdoc/>
    public Deferred<long> XDel(RedisValue key, RedisValue[] ids, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? XDel(key, ids).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> XTrim(RedisValue key, long maxLength, bool approximate = false, CancellationToken cancellationToken = default) =>
        Run("XTRIM", Replies.Integer, cancellationToken, approximate ? [key, "MAXLEN", "~", maxLength] : [key, "MAXLEN", maxLength]);

    /// <inheritdoc/>
    public Deferred<IReadOnlyDictionary<string, StreamEntry[]>> XRead(IEnumerable<KeyValuePair<RedisValue, string>> streams, long? count = null, CancellationToken cancellationToken = default) =>
        Run("XREAD", StreamReplies.Read, cancellationToken, StreamReadArgs(count, null, streams));

    /// <inheritdoc/>
    public Deferred<bool> XGroupCreate(RedisValue key, RedisValue group, string startId = "$", bool createStream = false, CancellationToken cancellationToken = default) =>
        Run("XGROUP", Replies.Ok, cancellationToken, createStream ? ["CREATE", key, group, startId, "MKSTREAM"] : ["CREATE", key, group, startId]);

    /// <inheritdoc/>
    public Deferred<bool> XGroupDestroy(RedisValue key, RedisValue group, CancellationToken cancellationToken = default) =>
        Run("XGROUP", Replies.Boolean, cancellationToken, "DESTROY", key, group);

    /// <inheritdoc/>
    public Deferred<StreamEntry[]> XReadGroup(RedisValue group, RedisValue consumer, RedisValue key, string id = ">", long? count = null, CancellationToken cancellationToken = default) =>
        Run("XREADGROUP", (in RawReply r) => StreamReplies.Read(r).Values.FirstOrDefault() ?? [], cancellationToken, GroupReadArgs(group, consumer, key, id, count, null));

    /// <inheritdoc/>
    public Deferred<long> XAck(RedisValue key, RedisValue group, params RedisValue[] ids) => Run("XACK", Replies.Integer, Args(key, group, ids));

    /// <inheritdoc/>
    public Deferred<long> XAck(RedisValue key, RedisValue group, RedisValue[] ids, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? XAck(key, group, ids).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<StreamPendingSummary> XPending(RedisValue key, RedisValue group, CancellationToken cancellationToken = default) =>
        Run("XPENDING", StreamReplies.Pending, cancellationToken, key, group);

    /// <inheritdoc/>
    public Deferred<StreamEntry[]> XClaim(RedisValue key, RedisValue group, RedisValue consumer, TimeSpan minIdle, params RedisValue[] ids) =>
        Run("XCLAIM", StreamReplies.Entries, [key, group, consumer, (long)minIdle.TotalMilliseconds, .. ids]);

    /// <inheritdoc/>
    public Deferred<StreamEntry[]> XClaim(RedisValue key, RedisValue group, RedisValue consumer, TimeSpan minIdle, RedisValue[] ids, CancellationToken cancellationToken) =>
        Canceled<StreamEntry[]>(cancellationToken) ?? XClaim(key, group, consumer, minIdle, ids).WithCancellation(cancellationToken);

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
