namespace ReactiveKv.Redis;

/// <summary>
/// Commands on the client's shared, multiplexed connection, in one database (what <see cref="IRedisClient.Db"/> and
/// <see cref="IRedisClient.Database"/> return; <see cref="RedisDatabase"/> implements it): the whole
/// <see cref="IRedisCommands"/> surface, plus a per-database timeout and the SCAN family.
/// </summary>
public interface IRedisDatabase : IRedisCommands
{
    /// <summary>The client.</summary>
    IRedisClient Client { get; }

    /// <summary>The same database with a different command timeout (on the reactor clock).</summary>
    IRedisDatabase WithTimeout(TimeSpan timeout);

    /// <summary>
    /// SCAN as a cold observable: each subscription walks the cursor from the start, fetching the next page only
    /// after the subscriber has taken every key of the previous one; disposing the subscription stops the walk.
    /// </summary>
    IObservable<string> Scan(string? pattern = null, long? pageSize = null, string? type = null);

    /// <summary>HSCAN as a cold observable of field/value pairs.</summary>
    IObservable<KeyValuePair<string, string>> HScan(RedisValue key, string? pattern = null, long? pageSize = null);

    /// <summary>SSCAN as a cold observable of members.</summary>
    IObservable<string> SScan(RedisValue key, string? pattern = null, long? pageSize = null);

    /// <summary>ZSCAN as a cold observable of members with scores.</summary>
    IObservable<SortedSetEntry> ZScan(RedisValue key, string? pattern = null, long? pageSize = null);

    /// <summary>SCAN pulled as an async stream: the next page is fetched when the consumer asks for more.</summary>
    IAsyncEnumerable<string> ScanAsync(string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>HSCAN pulled as an async stream of field/value pairs.</summary>
    IAsyncEnumerable<KeyValuePair<string, string>> HScanAsync(RedisValue key, string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>SSCAN pulled as an async stream of members.</summary>
    IAsyncEnumerable<string> SScanAsync(RedisValue key, string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>ZSCAN pulled as an async stream of members with scores.</summary>
    IAsyncEnumerable<SortedSetEntry> ZScanAsync(RedisValue key, string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default);
}
