using System.Globalization;
using System.Reactive.Linq;

namespace ReactiveKv.Redis;

/// <summary>String commands.</summary>
public abstract partial class RedisCommands
{
    /// <summary>GET: the value as UTF-8 text, or null when the key is missing.</summary>
    public Deferred<string?> Get(RedisValue key) => RunGet(key, Replies.String, RedisClientCache.TextHit, RedisClientCache.TextDecode);

    /// <summary>GET: the raw bytes, or null.</summary>
    public Deferred<byte[]?> GetBytes(RedisValue key) => RunGet(key, Replies.Bytes, RedisClientCache.BytesHit, RedisClientCache.BytesDecode);

    /// <summary>GET decoded by <paramref name="codec"/>; default(T) when missing.</summary>
    public Deferred<T?> Get<T>(RedisValue key, IRedisCodec<T> codec) =>
        RunGet(key, (in RawReply r) => r.IsNull ? default : codec.Decode(r.Bytes()), e => e.Value is null ? default : codec.Decode(e.Value), b => b is null ? default : codec.Decode(b));

    /// <summary>
    /// SET with optional expiry (EX/PX), condition (NX/XX) and KEEPTTL. True when written, false when the condition
    /// stopped it.
    /// </summary>
    public Deferred<bool> Set(RedisValue key, RedisValue value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false)
    {
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

        return Run("SET", Replies.Boolean, [.. args]);
    }

    /// <summary>SET of a value encoded by <paramref name="codec"/>.</summary>
    public Deferred<bool> Set<T>(RedisValue key, T value, IRedisCodec<T> codec, TimeSpan? expiry = null, SetCondition when = SetCondition.Always) =>
        Set(key, codec.Encode(value), expiry, when);

    /// <summary>SETNX: true when the key was set.</summary>
    public Deferred<bool> SetNX(RedisValue key, RedisValue value) => Run("SETNX", Replies.Boolean, key, value);

    /// <summary>GETSET: sets and returns the old value.</summary>
    public Deferred<string?> GetSet(RedisValue key, RedisValue value) => Run("GETSET", Replies.String, key, value);

    /// <summary>GETDEL: returns and deletes.</summary>
    public Deferred<string?> GetDel(RedisValue key) => Run("GETDEL", Replies.String, key);

    /// <summary>GETRANGE (inclusive offsets; negative count from the end).</summary>
    public Deferred<string?> GetRange(RedisValue key, long start, long end) => Run("GETRANGE", Replies.String, key, start, end);

    /// <summary>SETRANGE: overwrites from <paramref name="offset"/>; returns the new length.</summary>
    public Deferred<long> SetRange(RedisValue key, long offset, RedisValue value) => Run("SETRANGE", Replies.Integer, key, offset, value);

    /// <summary>STRLEN.</summary>
    public Deferred<long> StrLen(RedisValue key) => Run("STRLEN", Replies.Integer, key);

    /// <summary>APPEND: returns the new length.</summary>
    public Deferred<long> Append(RedisValue key, RedisValue value) => Run("APPEND", Replies.Integer, key, value);

    /// <summary>SETBIT: returns the previous bit.</summary>
    public Deferred<bool> SetBit(RedisValue key, long offset, bool value) => Run("SETBIT", Replies.Boolean, key, offset, value ? 1 : 0);

    /// <summary>GETBIT.</summary>
    public Deferred<bool> GetBit(RedisValue key, long offset) => Run("GETBIT", Replies.Boolean, key, offset);

    /// <summary>BITCOUNT over the whole value, or a byte range.</summary>
    public Deferred<long> BitCount(RedisValue key, long? start = null, long? end = null) =>
        start is { } s ? Run("BITCOUNT", Replies.Integer, key, s, end ?? -1) : Run("BITCOUNT", Replies.Integer, key);

    /// <summary>BITOP: stores the result in <paramref name="destination"/>, returns its length.</summary>
    public Deferred<long> BitOp(BitOperation operation, RedisValue destination, params RedisValue[] keys) =>
        Run("BITOP", Replies.Integer, Args(operation.ToString().ToUpperInvariant(), destination, keys));

    /// <summary>INCR.</summary>
    public Deferred<long> Incr(RedisValue key) => Run("INCR", Replies.Integer, key);

    /// <summary>INCRBY.</summary>
    public Deferred<long> IncrBy(RedisValue key, long amount) => Run("INCRBY", Replies.Integer, key, amount);

    /// <summary>INCRBYFLOAT.</summary>
    public Deferred<double> IncrByFloat(RedisValue key, double amount) => Run("INCRBYFLOAT", Replies.Double, key, amount);

    /// <summary>DECR.</summary>
    public Deferred<long> Decr(RedisValue key) => Run("DECR", Replies.Integer, key);

    /// <summary>DECRBY.</summary>
    public Deferred<long> DecrBy(RedisValue key, long amount) => Run("DECRBY", Replies.Integer, key, amount);

    /// <summary>MSET.</summary>
    public Deferred<bool> MSet(params KeyValuePair<RedisValue, RedisValue>[] pairs) =>
        Run("MSET", Replies.Ok, [.. pairs.SelectMany(p => new[] { p.Key, p.Value })]);

    /// <summary>MSETNX: true when every key was set (none existed).</summary>
    public Deferred<bool> MSetNX(params KeyValuePair<RedisValue, RedisValue>[] pairs) =>
        Run("MSETNX", Replies.Boolean, [.. pairs.SelectMany(p => new[] { p.Key, p.Value })]);

    /// <summary>MGET: values in key order, null for missing keys.</summary>
    public Deferred<string?[]> MGet(params RedisValue[] keys) => Run("MGET", Replies.Strings, keys);

    /// <summary>PING.</summary>
    public Deferred<string?> Ping() => Run("PING", Replies.String);

    /// <summary>ECHO.</summary>
    public Deferred<string?> Echo(RedisValue message) => Run("ECHO", Replies.String, message);

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
