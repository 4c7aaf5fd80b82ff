namespace ReactiveKv.Redis;

/// <summary>Sorted-set commands. Score bounds are strings as Redis takes them: use <see cref="Score"/> to build them.</summary>
public abstract partial class RedisCommands
{
    /// <summary>ZADD of one member: 1 when new.</summary>
    public Deferred<long> ZAdd(RedisValue key, RedisValue member, double score) => Run("ZADD", Replies.Integer, key, score, member);

    /// <summary>ZADD of several members, with an optional NX/XX condition: the number of new members.</summary>
    public Deferred<long> ZAdd(RedisValue key, IEnumerable<SortedSetEntry> entries, SetCondition when = SetCondition.Always)
    {
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

        return Run("ZADD", Replies.Integer, [.. args]);
    }

    /// <summary>ZSCORE: null when the member is missing.</summary>
    public Deferred<double?> ZScore(RedisValue key, RedisValue member) => Run("ZSCORE", Replies.NullableDouble, key, member);

    /// <summary>ZINCRBY: the new score.</summary>
    public Deferred<double> ZIncrBy(RedisValue key, RedisValue member, double amount) => Run("ZINCRBY", Replies.Double, key, amount, member);

    /// <summary>ZREM.</summary>
    public Deferred<long> ZRem(RedisValue key, params RedisValue[] members) => Run("ZREM", Replies.Integer, Args(key, members));

    /// <summary>ZCARD.</summary>
    public Deferred<long> ZCard(RedisValue key) => Run("ZCARD", Replies.Integer, key);

    /// <summary>ZCOUNT between score bounds.</summary>
    public Deferred<long> ZCount(RedisValue key, string min, string max) => Run("ZCOUNT", Replies.Integer, key, min, max);

    /// <summary>ZRANK: null when missing.</summary>
    public Deferred<long?> ZRank(RedisValue key, RedisValue member) => Run("ZRANK", Replies.NullableInteger, key, member);

    /// <summary>ZREVRANK.</summary>
    public Deferred<long?> ZRevRank(RedisValue key, RedisValue member) => Run("ZREVRANK", Replies.NullableInteger, key, member);

    /// <summary>ZRANGE by rank.</summary>
    public Deferred<string?[]> ZRange(RedisValue key, long start, long stop) => Run("ZRANGE", Replies.Strings, key, start, stop);

    /// <summary>ZRANGE by rank WITHSCORES.</summary>
    public Deferred<SortedSetEntry[]> ZRangeWithScores(RedisValue key, long start, long stop) => Run("ZRANGE", Replies.ScoredMembers, key, start, stop, "WITHSCORES");

    /// <summary>ZREVRANGE by rank.</summary>
    public Deferred<string?[]> ZRevRange(RedisValue key, long start, long stop) => Run("ZREVRANGE", Replies.Strings, key, start, stop);

    /// <summary>ZREVRANGE WITHSCORES.</summary>
    public Deferred<SortedSetEntry[]> ZRevRangeWithScores(RedisValue key, long start, long stop) => Run("ZREVRANGE", Replies.ScoredMembers, key, start, stop, "WITHSCORES");

    /// <summary>ZRANGEBYSCORE with optional LIMIT.</summary>
    public Deferred<string?[]> ZRangeByScore(RedisValue key, string min, string max, long? offset = null, long? count = null) =>
        Run("ZRANGEBYSCORE", Replies.Strings, WithLimit([key, min, max], offset, count));

    /// <summary>ZRANGEBYSCORE WITHSCORES.</summary>
    public Deferred<SortedSetEntry[]> ZRangeByScoreWithScores(RedisValue key, string min, string max, long? offset = null, long? count = null) =>
        Run("ZRANGEBYSCORE", Replies.ScoredMembers, WithLimit([key, min, max, "WITHSCORES"], offset, count));

    /// <summary>ZREVRANGEBYSCORE (max first, as Redis takes it).</summary>
    public Deferred<string?[]> ZRevRangeByScore(RedisValue key, string max, string min, long? offset = null, long? count = null) =>
        Run("ZREVRANGEBYSCORE", Replies.Strings, WithLimit([key, max, min], offset, count));

    /// <summary>ZREVRANGEBYSCORE WITHSCORES.</summary>
    public Deferred<SortedSetEntry[]> ZRevRangeByScoreWithScores(RedisValue key, string max, string min, long? offset = null, long? count = null) =>
        Run("ZREVRANGEBYSCORE", Replies.ScoredMembers, WithLimit([key, max, min, "WITHSCORES"], offset, count));

    /// <summary>ZRANGEBYLEX (<c>[a</c>, <c>(b</c>, <c>-</c>, <c>+</c>).</summary>
    public Deferred<string?[]> ZRangeByLex(RedisValue key, string min, string max, long? offset = null, long? count = null) =>
        Run("ZRANGEBYLEX", Replies.Strings, WithLimit([key, min, max], offset, count));

    /// <summary>ZREVRANGEBYLEX (max first).</summary>
    public Deferred<string?[]> ZRevRangeByLex(RedisValue key, string max, string min, long? offset = null, long? count = null) =>
        Run("ZREVRANGEBYLEX", Replies.Strings, WithLimit([key, max, min], offset, count));

    /// <summary>ZREMRANGEBYRANK.</summary>
    public Deferred<long> ZRemRangeByRank(RedisValue key, long start, long stop) => Run("ZREMRANGEBYRANK", Replies.Integer, key, start, stop);

    /// <summary>ZREMRANGEBYSCORE.</summary>
    public Deferred<long> ZRemRangeByScore(RedisValue key, string min, string max) => Run("ZREMRANGEBYSCORE", Replies.Integer, key, min, max);

    /// <summary>ZREMRANGEBYLEX.</summary>
    public Deferred<long> ZRemRangeByLex(RedisValue key, string min, string max) => Run("ZREMRANGEBYLEX", Replies.Integer, key, min, max);

    /// <summary>ZINTERSTORE with optional weights and aggregate.</summary>
    public Deferred<long> ZInterStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum) =>
        Run("ZINTERSTORE", Replies.Integer, StoreArgs(destination, keys, weights, aggregate));

    /// <summary>ZUNIONSTORE with optional weights and aggregate.</summary>
    public Deferred<long> ZUnionStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum) =>
        Run("ZUNIONSTORE", Replies.Integer, StoreArgs(destination, keys, weights, aggregate));

    /// <summary>ZPOPMIN of up to <paramref name="count"/> members.</summary>
    public Deferred<SortedSetEntry[]> ZPopMin(RedisValue key, long count = 1) => Run("ZPOPMIN", Replies.ScoredMembers, key, count);

    /// <summary>ZPOPMAX of up to <paramref name="count"/> members.</summary>
    public Deferred<SortedSetEntry[]> ZPopMax(RedisValue key, long count = 1) => Run("ZPOPMAX", Replies.ScoredMembers, key, count);

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
