namespace ReactiveKv.Redis;

/// <summary>
/// Client-side caching (Redis 6+ <c>CLIENT TRACKING</c>) of the GET family on the shared connection: a value read
/// once is answered from memory until the server says the key changed. Needs RESP3, where invalidations arrive on
/// the same connection as the replies and so are ordered before any later reply.
/// </summary>
public sealed record RedisClientCacheOptions
{
    /// <summary>Cached keys, at most, over every database; past it the least recently useful entries are evicted (default 10,000).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>
    /// Key prefixes for broadcasting mode (<c>CLIENT TRACKING ON BCAST PREFIX …</c>): the server invalidates every key
    /// under them whether read or not, and only keys under them are cached. Null or empty: default mode, where the
    /// server remembers the keys this connection read.
    /// </summary>
    public IReadOnlyList<string>? Prefixes { get; init; }

    /// <summary>Values longer than this many bytes are not cached (default 64 KiB).</summary>
    public int MaxValueBytes { get; init; } = 64 << 10;
}
