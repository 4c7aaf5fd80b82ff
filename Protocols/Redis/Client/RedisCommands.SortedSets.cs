namespace ReactiveKv.Redis;

/// <summary>Sorted-set commands. Score bounds are strings as Redis takes them: use <see cref="Score"/> to build them.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> ZAdd(RedisValue key, RedisValue member, double score, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZADD", Replies.Integer, key, score, member).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZAdd(RedisValue key, IEnumerable<SortedSetEntry> entries, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default)
    {
        if (Canceled<long>(cancellationToken) is { } canceled)
        {
            return canceled;
        }

        var args = new List<RedisValue> { key };
        if (when != SetCondition.Always)
        {
            args.Add(when == SetCondition.NotExists ? "NX" : "XX");
        }

        foreach (var entry in entries)
        {
            args.Add(entry.Score);
            args.Add(entry.Member);
        }

        return Run("ZADD", Replies.Integer, [.. args]).WithCancellation(cancellationToken);
    }

    /// <inheritdoc/>
    public Deferred<double?> ZScore(RedisValue key, RedisValue member, CancellationToken cancellationToken = default) =>
        Canceled<double?>(cancellationToken) ?? Run("ZSCORE", Replies.NullableDouble, key, member).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<double> ZIncrBy(RedisValue key, RedisValue member, double amount, CancellationToken cancellationToken = default) =>
        Canceled<double>(cancellationToken) ?? Run("ZINCRBY", Replies.Double, key, amount, member).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZRem(RedisValue key, params RedisValue[] members) => Run("ZREM", Replies.Integer, Args(key, members));

    /// <inheritdoc/>
    public Deferred<long> ZRem(RedisValue key, RedisValue[] members, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? ZRem(key, members).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZCard(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZCARD", Replies.Integer, key).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZCount(RedisValue key, string min, string max, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZCOUNT", Replies.Integer, key, min, max).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long?> ZRank(RedisValue key, RedisValue member, CancellationToken cancellationToken = default) =>
        Canceled<long?>(cancellationToken) ?? Run("ZRANK", Replies.NullableInteger, key, member).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long?> ZRevRank(RedisValue key, RedisValue member, CancellationToken cancellationToken = default) =>
        Canceled<long?>(cancellationToken) ?? Run("ZREVRANK", Replies.NullableInteger, key, member).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("ZRANGE", Replies.Strings, key, start, stop).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRangeWithScores(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<SortedSetEntry[]>(cancellationToken) ?? Run("ZRANGE", Replies.ScoredMembers, key, start, stop, "WITHSCORES").WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRevRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("ZREVRANGE", Replies.Strings, key, start, stop).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRevRangeWithScores(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<SortedSetEntry[]>(cancellationToken) ?? Run("ZREVRANGE", Replies.ScoredMembers, key, start, stop, "WITHSCORES").WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRangeByScore(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("ZRANGEBYSCORE", Replies.Strings, WithLimit([key, min, max], offset, count)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRangeByScoreWithScores(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Canceled<SortedSetEntry[]>(cancellationToken) ?? Run("ZRANGEBYSCORE", Replies.ScoredMembers, WithLimit([key, min, max, "WITHSCORES"], offset, count)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRevRangeByScore(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("ZREVRANGEBYSCORE", Replies.Strings, WithLimit([key, max, min], offset, count)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRevRangeByScoreWithScores(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Canceled<SortedSetEntry[]>(cancellationToken) ?? Run("ZREVRANGEBYSCORE", Replies.ScoredMembers, WithLimit([key, max, min, "WITHSCORES"], offset, count)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRangeByLex(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("ZRANGEBYLEX", Replies.Strings, WithLimit([key, min, max], offset, count)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRevRangeByLex(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Canceled<string?[]>(cancellationToken) ?? Run("ZREVRANGEBYLEX", Replies.Strings, WithLimit([key, max, min], offset, count)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZRemRangeByRank(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZREMRANGEBYRANK", Replies.Integer, key, start, stop).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZRemRangeByScore(RedisValue key, string min, string max, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZREMRANGEBYSCORE", Replies.Integer, key, min, max).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZRemRangeByLex(RedisValue key, string min, string max, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZREMRANGEBYLEX", Replies.Integer, key, min, max).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZInterStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZINTERSTORE", Replies.Integer, StoreArgs(destination, keys, weights, aggregate)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZUnionStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? Run("ZUNIONSTORE", Replies.Integer, StoreArgs(destination, keys, weights, aggregate)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZPopMin(RedisValue key, long count = 1, CancellationToken cancellationToken = default) =>
        Canceled<SortedSetEntry[]>(cancellationToken) ?? Run("ZPOPMIN", Replies.ScoredMembers, key, count).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZPopMax(RedisValue key, long count = 1, CancellationToken cancellationToken = default) =>
        Canceled<SortedSetEntry[]>(cancellationToken) ?? Run("ZPOPMAX", Replies.ScoredMembers, key, count).WithCancellation(cancellationToken);

    private static RedisValue[] WithLimit(List<RedisValue> args, long? offset, long? count)
    {
        if (offset is not null || count is not null)
        {
            args.AddRange(["LIMIT", offset ?? 0, count ?? -1]);
        }

        return [.. args];
    }

    private static RedisValue[] StoreArgs(RedisValue destination, RedisValue[] keys, double[]? weights, Aggregate aggregate)
    {
        var args = new List<RedisValue> { destination, keys.Length };
        args.AddRange(keys);
        if (weights is not null)
        {
            if (weights.Length != keys.Length)
            {
                throw new ArgumentException($"{weights.Length} weights for {keys.Length} keys.", nameof(weights));
            }

            args.Add("WEIGHTS");
            args.AddRange(weights.Select(w => (RedisValue)w));
        }

        if (aggregate != Aggregate.Sum)
        {
            args.AddRange(["AGGREGATE", aggregate.ToString().ToUpperInvariant()]);
        }

        return [.. args];
    }
}
