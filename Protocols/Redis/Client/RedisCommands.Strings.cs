using System.Globalization;
using System.Reactive.Linq;

namespace ReactiveKv.Redis;

/// <summary>String commands.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<string?> Get(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? RunGet(key, Replies.String, RedisClientCache.TextHit, RedisClientCache.TextDecode).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<byte[]?> GetBytes(RedisValue key, CancellationToken cancellationToken = default) =>
        Canceled<byte[]?>(cancellationToken) ?? RunGet(key, Replies.Bytes, RedisClientCache.BytesHit, RedisClientCache.BytesDecode).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<T?> Get<T>(RedisValue key, IRedisCodec<T> codec, CancellationToken cancellationToken = default) =>
        Canceled<T?>(cancellationToken) ?? RunGet(key, (in RawReply r) => r.IsNull ? default : codec.Decode(r.Bytes()), e => e.Value is null ? default : codec.Decode(e.Value), b => b is null ? default : codec.Decode(b)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> Set(RedisValue key, RedisValue value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default)
    {
        if (Canceled<bool>(cancellationToken) is { } canceled)
        {
            return canceled;
        }

        // The plain SET, most of them: its two arguments and nothing else allocated on the way.
        if (expiry is null && when == SetCondition.Always && !keepTtl)
        {
            return Run("SET", Replies.Boolean, key, value).WithCancellation(cancellationToken);
        }

        var args = new List<RedisValue>(6) { key, value };
        if (expiry is { } ttl)
        {
            args.AddRange(ttl.Ticks % TimeSpan.TicksPerSecond == 0 ? ["EX", (long)ttl.TotalSeconds] : ["PX", (long)ttl.TotalMilliseconds]);
        }

        if (when != SetCondition.Always)
        {
            args.Add(when == SetCondition.NotExists ? "NX" : "XX");
        }

        if (keepTtl)
        {
            args.Add("KEEPTTL");
        }

        return Run("SET", Replies.Boolean, [.. args]).WithCancellation(cancellationToken);
    }

    /// <inheritdoc/>
    public Deferred<bool> Set<T>(RedisValue key, T value, IRedisCodec<T> codec, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Set(key, codec.Encode(value), expiry, when).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> SetNX(RedisValue key, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("SETNX", Replies.Boolean, cancellationToken, key, value);

    /// <inheritdoc/>
    public Deferred<string?> GetSet(RedisValue key, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("GETSET", Replies.String, cancellationToken, key, value);

    /// <inheritdoc/>
    public Deferred<string?> GetDel(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("GETDEL", Replies.String, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<string?> GetRange(RedisValue key, long start, long end, CancellationToken cancellationToken = default) =>
        Run("GETRANGE", Replies.String, cancellationToken, key, start, end);

    /// <inheritdoc/>
    public Deferred<long> SetRange(RedisValue key, long offset, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("SETRANGE", Replies.Integer, cancellationToken, key, offset, value);

    /// <inheritdoc/>
    public Deferred<long> StrLen(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("STRLEN", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> Append(RedisValue key, RedisValue value, CancellationToken cancellationToken = default) =>
        Run("APPEND", Replies.Integer, cancellationToken, key, value);

    /// <inheritdoc/>
    public Deferred<bool> SetBit(RedisValue key, long offset, bool value, CancellationToken cancellationToken = default) =>
        Run("SETBIT", Replies.Boolean, cancellationToken, key, offset, value ? 1 : 0);

    /// <inheritdoc/>
    public Deferred<bool> GetBit(RedisValue key, long offset, CancellationToken cancellationToken = default) =>
        Run("GETBIT", Replies.Boolean, cancellationToken, key, offset);

    /// <inheritdoc/>
    public Deferred<long> BitCount(RedisValue key, long? start = null, long? end = null, CancellationToken cancellationToken = default) =>
        Canceled<long>(cancellationToken) ?? (start is { } s ? Run("BITCOUNT", Replies.Integer, key, s, end ?? -1) : Run("BITCOUNT", Replies.Integer, key)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> BitOp(BitOperation operation, RedisValue destination, params RedisValue[] keys) =>
        Run("BITOP", Replies.Integer, Args(operation.ToString().ToUpperInvariant(), destination, keys));

    /// <inheritdoc/>
    public Deferred<long> BitOp(BitOperation operation, RedisValue destination, RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<long>(cancellationToken) ?? BitOp(operation, destination, keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<long> Incr(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("INCR", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> IncrBy(RedisValue key, long amount, CancellationToken cancellationToken = default) =>
        Run("INCRBY", Replies.Integer, cancellationToken, key, amount);

    /// <inheritdoc/>
    public Deferred<double> IncrByFloat(RedisValue key, double amount, CancellationToken cancellationToken = default) =>
        Run("INCRBYFLOAT", Replies.Double, cancellationToken, key, amount);

    /// <inheritdoc/>
    public Deferred<long> Decr(RedisValue key, CancellationToken cancellationToken = default) =>
        Run("DECR", Replies.Integer, cancellationToken, key);

    /// <inheritdoc/>
    public Deferred<long> DecrBy(RedisValue key, long amount, CancellationToken cancellationToken = default) =>
        Run("DECRBY", Replies.Integer, cancellationToken, key, amount);

    /// <inheritdoc/>
    public Deferred<bool> MSet(params KeyValuePair<RedisValue, RedisValue>[] pairs) =>
        Run("MSET", Replies.Ok, [.. pairs.SelectMany(p => new[] { p.Key, p.Value })]);

    /// <inheritdoc/>
    public Deferred<bool> MSet<TPairs>(TPairs pairs, CancellationToken cancellationToken)
        where TPairs : IEnumerable<KeyValuePair<RedisValue, RedisValue>> =>
        Canceled<bool>(cancellationToken) ?? MSet(pairs as KeyValuePair<RedisValue, RedisValue>[] ?? [.. pairs]).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> MSetNX(params KeyValuePair<RedisValue, RedisValue>[] pairs) =>
        Run("MSETNX", Replies.Boolean, [.. pairs.SelectMany(p => new[] { p.Key, p.Value })]);

    /// <inheritdoc/>
    public Deferred<bool> MSetNX<TPairs>(TPairs pairs, CancellationToken cancellationToken)
        where TPairs : IEnumerable<KeyValuePair<RedisValue, RedisValue>> =>
        Canceled<bool>(cancellationToken) ?? MSetNX(pairs as KeyValuePair<RedisValue, RedisValue>[] ?? [.. pairs]).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?[]> MGet(params RedisValue[] keys) => Run("MGET", Replies.Strings, keys);

    /// <inheritdoc/>
    public Deferred<string?[]> MGet(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<string?[]>(cancellationToken) ?? MGet(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> Ping(CancellationToken cancellationToken = default) =>
        Run("PING", Replies.String, cancellationToken);

    /// <inheritdoc/>
    public Deferred<string?> Echo(RedisValue message, CancellationToken cancellationToken = default) =>
        Run("ECHO", Replies.String, cancellationToken, message);

    /// <summary>
    /// GET, which the shared connection may answer from the client-side cache (<see cref="RedisDatabase"/> overrides);
    /// <paramref name="hit"/> reads a cached entry, <paramref name="decode"/> a reply's bytes when the cache keeps them.
    /// </summary>
    private protected virtual Deferred<T> RunGet<T>(RedisValue key, ReplyProcessor<T> processor, Func<RedisClientCache.Entry, T> hit, Func<byte[]?, T> decode) =>
        Run("GET", processor, key);

    /// <summary>Formats a score bound: inclusive number, or exclusive with <c>(</c>, or <c>-inf</c>/<c>+inf</c>.</summary>
    public static string Score(double value, bool exclusive = false) =>
        (exclusive ? "(" : "") + (double.IsPositiveInfinity(value) ? "+inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture));
}
