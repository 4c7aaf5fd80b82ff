namespace ReactiveKv.Redis;

/// <summary>Sorted-set commands. Score bounds are strings as Redis takes them: use <see cref="Score"/> to build them.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<long> ZAdd(RedisValue key, RedisValue member, double score, CancellationToken cancellationToken = default) =>
        Run("ZADD", Replies.Integer, cancellationToken, key, score, member);

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
        Run("ZSCORE", Replies.NullableDouble, cancellationToken, key, member);

    /// <inheritdoc/>
    public Deferred<double> ZIncrBy(RedisValue key, RedisValue member, double amount, CancellationToken cancellationToken = default) =>
        Run("ZINCRBY", Replies.Double, cancellationToken, key, amount, member);

    /// <inheritdoc/>
    public Deferred<long> ZRem(RedisValue key, params RedisValue[] members) => Run("ZREM", Replies.Integer, Args(key, members));

    /// <inheritdoc/>
    public Deferred<long> ZRem(RedisValue key, RedisValue[] members, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? ZRem(key, members).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> ZCard(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("ZCARD", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> ZCount(RedisValue key, string min, string max, CancellationToken cancellationToken = default) =>
        Run("ZCOUNT", Replies.Integer, cancellationToken, key, min, max);

    /// <inheritdoc/>
    public Deferred<long?> ZRank(RedisValue key, RedisValue member, CancellationToken cancellationToken = default) =>
        Run("ZRANK", Replies.NullableInteger, cancellationToken, key, member);

    /// <inheritdoc/>
    public Deferred<long?> ZRevRank(RedisValue key, RedisValue member, CancellationToken cancellationToken = default) =>
        Run("ZREVRANK", Replies.NullableInteger, cancellationToken, key, member);

    /// <inheritdoc/>
    public Deferred<string?[]> ZRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("ZRANGE", Replies.Strings, cancellationToken, key, start, stop);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRangeWithScores(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("ZRANGE", Replies.ScoredMembers, cancellationToken, key, start, stop, "WITHSCORES");

    /// <inheritdoc/>
    public Deferred<string?[]> ZRevRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("ZREVRANGE", Replies.Strings, cancellationToken, key, start, stop);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRevRangeWithScores(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("ZREVRANGE", Replies.ScoredMembers, cancellationToken, key, start, stop, "WITHSCORES");

    /// <inheritdoc/>
    public Deferred<string?[]> ZRangeByScore(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Run("ZRANGEBYSCORE", Replies.Strings, cancellationToken, WithLimit([key, min, max], offset, count));

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRangeByScoreWithScores(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Run("ZRANGEBYSCORE", Replies.ScoredMembers, cancellationToken, WithLimit([key, min, max, "WITHSCORES"], offset, count));

    /// <inheritdoc/>
    public Deferred<string?[]> ZRevRangeByScore(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Run("ZREVRANGEBYSCORE", Replies.Strings, cancellationToken, WithLimit([key, max, min], offset, count));

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZRevRangeByScoreWithScores(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Run("ZREVRANGEBYSCORE", Replies.ScoredMembers, cancellationToken, WithLimit([key, max, min, "WITHSCORES"], offset, count));

    /// <inheritdoc/>
    public Deferred<string?[]> ZRangeByLex(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Run("ZRANGEBYLEX", Replies.Strings, cancellationToken, WithLimit([key, min, max], offset, count));

    /// <inheritdoc/>
    public Deferred<string?[]> ZRevRangeByLex(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default) =>
        Run("ZREVRANGEBYLEX", Replies.Strings, cancellationToken, WithLimit([key, max, min], offset, count));

    /// <inheritdoc/>
    public Deferred<long> ZRemRangeByRank(RedisValue key, long start, long stop, CancellationToken cancellationToken = default) =>
        Run("ZREMRANGEBYRANK", Replies.Integer, cancellationToken, key, start, stop);

    /// <inheritdoc/>
    public Deferred<long> ZRemRangeByScore(RedisValue key, string min, string max, CancellationToken cancellationToken = default) =>
        Run("ZREMRANGEBYSCORE", Replies.Integer, cancellationToken, key, min, max);

    /// <inheritdoc/>
    public Deferred<long> ZRemRangeByLex(RedisValue key, string min, string max, CancellationToken cancellationToken = default) =>
        Run("ZREMRANGEBYLEX", Replies.Integer, cancellationToken, key, min, max);

    /// <inheritdoc/>
    public Deferred<long> ZInterStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default) =>
        Run("ZINTERSTORE", Replies.Integer, cancellationToken, StoreArgs(destination, keys, weights, aggregate));

    /// <inheritdoc/>
    public Deferred<long> ZUnionStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default) =>
        Run("ZUNIONSTORE", Replies.Integer, cancellationToken, StoreArgs(destination, keys, weights, aggregate));

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZPopMin(RedisValue key, long count = 1, CancellationToken cancellationToken = default) =>
        Run("ZPOPMIN", Replies.ScoredMembers, cancellationToken, key, count);

    /// <inheritdoc/>
    public Deferred<SortedSetEntry[]> ZPopMax(RedisValue key, long count = 1, CancellationToken cancellationToken = default) =>
        Run("ZPOPMAX", Replies.ScoredMembers, cancellationToken, key, count);

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
