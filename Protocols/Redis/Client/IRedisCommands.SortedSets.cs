namespace ReactiveKv.Redis;

/// <summary>Sorted-set commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>ZADD of one member: 1 when new.</summary>
    Deferred<long> ZAdd(RedisValue key, RedisValue member, double score, CancellationToken cancellationToken = default);

    /// <summary>ZADD of several members, with an optional NX/XX condition: the number of new members.</summary>
    Deferred<long> ZAdd(RedisValue key, IEnumerable<SortedSetEntry> entries, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>ZSCORE: null when the member is missing.</summary>
    Deferred<double?> ZScore(RedisValue key, RedisValue member, CancellationToken cancellationToken = default);

    /// <summary>ZINCRBY: the new score.</summary>
    Deferred<double> ZIncrBy(RedisValue key, RedisValue member, double amount, CancellationToken cancellationToken = default);

    /// <summary>ZREM.</summary>
    Deferred<long> ZRem(RedisValue key, params RedisValue[] members);

    /// <summary>ZREM.</summary>
    Deferred<long> ZRem(RedisValue key, RedisValue[] members, CancellationToken cancellationToken);

    /// <summary>ZCARD.</summary>
    Deferred<long> ZCard(RedisValue key, CancellationToken cancellationToken = default);

    /// <summary>ZCOUNT between score bounds.</summary>
    Deferred<long> ZCount(RedisValue key, string min, string max, CancellationToken cancellationToken = default);

    /// <summary>ZRANK: null when missing.</summary>
    Deferred<long?> ZRank(RedisValue key, RedisValue member, CancellationToken cancellationToken = default);

    /// <summary>ZREVRANK.</summary>
    Deferred<long?> ZRevRank(RedisValue key, RedisValue member, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE by rank.</summary>
    Deferred<string?[]> ZRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE by rank WITHSCORES.</summary>
    Deferred<SortedSetEntry[]> ZRangeWithScores(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>ZREVRANGE by rank.</summary>
    Deferred<string?[]> ZRevRange(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>ZREVRANGE WITHSCORES.</summary>
    Deferred<SortedSetEntry[]> ZRevRangeWithScores(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>ZRANGEBYSCORE with optional LIMIT.</summary>
    Deferred<string?[]> ZRangeByScore(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>ZRANGEBYSCORE WITHSCORES.</summary>
    Deferred<SortedSetEntry[]> ZRangeByScoreWithScores(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>ZREVRANGEBYSCORE (max first, as Redis takes it).</summary>
    Deferred<string?[]> ZRevRangeByScore(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>ZREVRANGEBYSCORE WITHSCORES.</summary>
    Deferred<SortedSetEntry[]> ZRevRangeByScoreWithScores(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>ZRANGEBYLEX (<c>[a</c>, <c>(b</c>, <c>-</c>, <c>+</c>).</summary>
    Deferred<string?[]> ZRangeByLex(RedisValue key, string min, string max, long? offset = null, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>ZREVRANGEBYLEX (max first).</summary>
    Deferred<string?[]> ZRevRangeByLex(RedisValue key, string max, string min, long? offset = null, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>ZREMRANGEBYRANK.</summary>
    Deferred<long> ZRemRangeByRank(RedisValue key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>ZREMRANGEBYSCORE.</summary>
    Deferred<long> ZRemRangeByScore(RedisValue key, string min, string max, CancellationToken cancellationToken = default);

    /// <summary>ZREMRANGEBYLEX.</summary>
    Deferred<long> ZRemRangeByLex(RedisValue key, string min, string max, CancellationToken cancellationToken = default);

    /// <summary>ZINTERSTORE with optional weights and aggregate.</summary>
    Deferred<long> ZInterStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>ZUNIONSTORE with optional weights and aggregate.</summary>
    Deferred<long> ZUnionStore(RedisValue destination, RedisValue[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>ZPOPMIN of up to <paramref name="count"/> members.</summary>
    Deferred<SortedSetEntry[]> ZPopMin(RedisValue key, long count = 1, CancellationToken cancellationToken = default);

    /// <summary>ZPOPMAX of up to <paramref name="count"/> members.</summary>
    Deferred<SortedSetEntry[]> ZPopMax(RedisValue key, long count = 1, CancellationToken cancellationToken = default);
}
