using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// The client-side cache of a <see cref="RedisClient"/> (<see cref="RedisClient.Cache"/>): GET-family values by
/// database and key, dropped when the server's tracking says the key changed, when the server flushes, and when the
/// shared connection is lost (tracking is per connection). Bounded by a clock (second-chance) eviction. Reads take
/// no lock and may come from any thread. Entries are added and evicted on the connection's loop only; removals
/// (invalidations, this client's writes on other connections, <see cref="Clear"/>) may come from any thread and are
/// atomic per entry, and the count follows only removals and additions that succeeded.
/// </summary>
public sealed class RedisClientCache
{
    private readonly EventLoop _loop;
    private readonly RedisClientCacheOptions _options;
    private readonly byte[][] _prefixes;
    private readonly ConcurrentDictionary<int, Store> _stores = new();
    private volatile Store[] _storeList = [];

    // Loop only: insertion order with a second chance for entries read since they last reached the head.
    private readonly Queue<Entry> _clock = new();
    private int _count; // changed with Interlocked: Forget may run on another loop
    private long _hits;
    private long _misses;
    private long _invalidations;
    private long _nextToken;
    private volatile int _longestKey;
    private Action<RedisCommand>? _forget;

    internal RedisClientCache(EventLoop loop, RedisClientCacheOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxEntries, nameof(options.MaxEntries));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxValueBytes, nameof(options.MaxValueBytes));
        _loop = loop;
        _options = options;
        _prefixes = [.. (options.Prefixes ?? []).Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>The options in use.</summary>
    public RedisClientCacheOptions Options => _options;

    /// <summary>GETs answered from memory, with no command sent.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>GETs of cacheable keys that went to the server.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Keys the server invalidated (a flush counts once).</summary>
    public long Invalidations => Interlocked.Read(ref _invalidations);

    /// <summary>Keys cached now, over every database.</summary>
    public int Entries => Volatile.Read(ref _count);

    /// <summary>Empties the cache; the next GET of every key goes to the server. Reads in flight are not stored.</summary>
    public void Clear()
    {
        if (_loop.IsLoopThread)
        {
            ClearNow();
        }
        else
        {
            // The clock is the loop's; the entries it still holds are marked removed and skipped there.
            DropAll();
        }
    }

    internal static Func<Entry, string?> TextHit { get; } = static e => e.Text;

    internal static Func<byte[]?, string?> TextDecode { get; } = static b => b is null ? null : Encoding.UTF8.GetString(b);

    // A copy: the caller may change the array it gets, the cache's must stay as the server sent it.
    internal static Func<Entry, byte[]?> BytesHit { get; } = static e => e.Value?.ToArray();

    internal static Func<byte[]?, byte[]?> BytesDecode { get; } = static b => b;

    /// <summary>The arguments of CLIENT that turn tracking on for these options.</summary>
    internal RedisValue[] TrackingArguments()
    {
        var args = new List<RedisValue> { "TRACKING", "ON" };
        if (_prefixes.Length > 0)
        {
            args.Add("BCAST");
            foreach (var prefix in _prefixes)
            {
                args.AddRange(["PREFIX", prefix]);
            }
        }

        return [.. args];
    }

    /// <summary>
    /// GET through the cache: a hit is an already completed result; a miss sends GET through <paramref name="database"/>
    /// and stores the reply unless the key was invalidated (or the cache cleared) while the GET was in flight.
    /// </summary>
    internal Deferred<T> Get<T>(RedisDatabase database, RedisValue key, Func<Entry, T> hit, Func<byte[]?, T> decode)
    {
        // No lambda here: what a lambda captures would be allocated on every call, hits included.
        var length = key.EncodedLength;
        byte[]? rented = null;
        Span<byte> buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var bytes = buffer[..key.CopyTo(buffer)];
            if (!Cacheable(bytes))
            {
                return SendUncached(database, key, decode);
            }

            var store = StoreFor(database.DatabaseIndex);
            if (!store.Lookup.TryGetValue(bytes, out var entry))
            {
                return SendMiss(database, store, key, bytes.ToArray(), decode);
            }

            entry.Referenced = true;
            Interlocked.Increment(ref _hits);
            try
            {
                return Deferred.Succeed(hit(entry));
            }
            catch (Exception e)
            {
                // A codec that cannot decode the value fails this read, as it would have on a reply.
                return Deferred.Fail<T>(e);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A push on the shared connection (loop thread): RESP3 <c>invalidate</c> with keys, or null for a flush.</summary>
    internal void OnPush(in RawReply push)
    {
        if (push.Count < 2)
        {
            return;
        }

        var children = push.Children();
        children.MoveNext();
        if (children.Current.IsAggregate || children.Current.Text() != "invalidate")
        {
            return;
        }

        children.MoveNext();
        var keys = children.Current;
        // A GET in flight on this connection keeps its mark: the server wrote this push before that GET ran (replies and
        // pushes share the connection, in order), so its reply already shows the change. Dropping the mark would only
        // keep a fresh value out of the cache (a write of our own is pushed after its reply, often after our next GET).
        if (keys.IsNull || !keys.IsAggregate)
        {
            // FLUSHDB/FLUSHALL (or a server that cannot tell which keys): nothing cached can be trusted.
            Interlocked.Increment(ref _invalidations);
            DropEntries();
            _clock.Clear();
            return;
        }

        foreach (var key in keys.Children())
        {
            Interlocked.Increment(ref _invalidations);
            Invalidate(key.Bytes(), keepPending: true);
        }
    }

    /// <summary>
    /// Runs as the reply of a command this client sent arrives (on whichever loop), before its caller sees it: drops
    /// every cached key among its arguments. The server does invalidate our own writes, but (Redis 7) only after the
    /// write's reply, and a write on a dedicated connection is not ordered with the tracking connection at all: without
    /// this, <c>await Set(k); await Get(k)</c> could read the old value.
    /// </summary>
    internal void Forget(RedisCommand command) => ForgetHandler(command);

    /// <summary><see cref="Forget"/> as one delegate, made once (it is attached to every write).</summary>
    internal Action<RedisCommand> ForgetHandler => _forget ??= ForgetArguments;

    private void ForgetArguments(RedisCommand command)
    {
        if (command.Name is "FLUSHALL" or "FLUSHDB" or "SWAPDB")
        {
            Clear();
            return;
        }

        var longest = _longestKey;
        if (Volatile.Read(ref _count) == 0 && NothingPending())
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[256];
        var arguments = command.Arguments;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = arguments[i];
            var length = argument.EncodedLength;
            if (length > longest && length > buffer.Length)
            {
                // Longer than any key ever cached (values, scripts): cannot name one.
                continue;
            }

            if (length > buffer.Length)
            {
                var rented = ArrayPool<byte>.Shared.Rent(length);
                Invalidate(rented.AsSpan(0, argument.CopyTo(rented)));
                ArrayPool<byte>.Shared.Return(rented);
            }
            else
            {
                Invalidate(buffer[..argument.CopyTo(buffer)]);
            }
        }
    }

    /// <summary>On the loop: the connection that tracked our reads is gone, or a new one starts tracking from nothing.</summary>
    internal void ClearNow()
    {
        DropAll();
        _clock.Clear();
    }

    private bool NothingPending()
    {
        foreach (var store in _storeList)
        {
            if (!store.Pending.IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    private void DropAll()
    {
        foreach (var store in _storeList)
        {
            store.Pending.Clear();
        }

        DropEntries();
    }

    private void DropEntries()
    {
        foreach (var store in _storeList)
        {
            foreach (var pair in store.Entries)
            {
                if (store.Entries.TryRemove(pair))
                {
                    pair.Value.Removed = true;
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private static Deferred<T> SendUncached<T>(RedisDatabase database, RedisValue key, Func<byte[]?, T> decode) =>
        database.Send(new RedisCommand<T>("GET", database.DatabaseIndex, [key], (in RawReply r) => decode(Value(r))));

    private Deferred<T> SendMiss<T>(RedisDatabase database, Store store, RedisValue key, byte[] keyBytes, Func<byte[]?, T> decode)
    {
        Interlocked.Increment(ref _misses);
        var token = Interlocked.Increment(ref _nextToken);

        // Marked before the GET can be written, so a write of ours (on any connection) or a clear processed at any later
        // point unmarks it. The server's pushes do not: they are ordered with this GET's reply (see OnPush).
        store.Pending[keyBytes] = token;
        var command = new RedisCommand<T>("GET", database.DatabaseIndex, [key], (in RawReply r) =>
        {
            var value = Value(r);
            Keep(store, keyBytes, token, value);
            return decode(value);
        });
        var result = database.Send(command);
        if (!result.Called)
        {
            // A GET that fails or is abandoned leaves no mark behind.
            result.Subscribe(static _ => { }, _ => store.Pending.TryRemove(new KeyValuePair<byte[], long>(keyBytes, token)));
        }

        return result;
    }

    private Store StoreFor(int database)
    {
        if (_stores.TryGetValue(database, out var store))
        {
            return store;
        }

        // Rare (a database's first read): the list that invalidations walk is copied, not locked, for its readers.
        lock (_stores)
        {
            store = _stores.GetOrAdd(database, static _ => new Store());
            if (Array.IndexOf(_storeList, store) < 0)
            {
                _storeList = [.. _storeList, store];
            }

            return store;
        }
    }

    private static byte[]? Value(in RawReply reply) =>
        reply.IsNull ? null
        : reply.IsAggregate ? throw new InvalidOperationException($"GET answered with a {reply.Type}.")
        : reply.Bytes();

    private bool Cacheable(ReadOnlySpan<byte> key)
    {
        if (_prefixes.Length == 0)
        {
            return true;
        }

        // In broadcasting mode the server only tells us about keys under the prefixes; others would go stale.
        foreach (var prefix in _prefixes)
        {
            if (key.StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private void Keep(Store store, byte[] key, long token, byte[]? value)
    {
        // Our mark is gone when a clear, a write of ours or a later GET of the same key came first.
        if (!store.Pending.TryRemove(new KeyValuePair<byte[], long>(key, token)) || value?.Length > _options.MaxValueBytes)
        {
            return;
        }

        // Every change of the count follows a removal or an addition that succeeded: writers on other loops
        // (Forget) may remove entries concurrently.
        if (store.Entries.TryRemove(key, out var old))
        {
            old.Removed = true;
            Interlocked.Decrement(ref _count);
        }

        var entry = new Entry(store, key, value);
        if (!store.Entries.TryAdd(key, entry))
        {
            return;
        }

        _clock.Enqueue(entry);
        Interlocked.Increment(ref _count);
        if (key.Length > _longestKey)
        {
            _longestKey = key.Length;
        }

        Evict();
    }

    private void Evict()
    {
        while (_count > _options.MaxEntries && _clock.TryDequeue(out var candidate))
        {
            if (candidate.Removed)
            {
                continue;
            }

            if (candidate.Referenced)
            {
                candidate.Referenced = false;
                _clock.Enqueue(candidate);
                continue;
            }

            Remove(candidate);
        }

        // Invalidated entries stay in the clock until they reach its head; keep them from piling up.
        if (_clock.Count > 2 * Math.Max(_count, 64))
        {
            var live = _clock.Where(e => !e.Removed).ToArray();
            _clock.Clear();
            foreach (var e in live)
            {
                _clock.Enqueue(e);
            }
        }
    }

    private void Remove(Entry entry)
    {
        if (entry.Store.Entries.TryRemove(new KeyValuePair<byte[], Entry>(entry.Key, entry)))
        {
            entry.Removed = true;
            Interlocked.Decrement(ref _count);
        }
    }

    private void Invalidate(ReadOnlySpan<byte> key, bool keepPending = false)
    {
        // Invalidations name keys without a database: the key is dropped in every one.
        foreach (var store in _storeList)
        {
            if (!keepPending)
            {
                store.PendingLookup.TryRemove(key, out _, out _);
            }

            if (store.Lookup.TryRemove(key, out _, out var entry))
            {
                entry.Removed = true;
                Interlocked.Decrement(ref _count);
            }
        }
    }

    /// <summary>One cached value.</summary>
    internal sealed class Entry(Store store, byte[] key, byte[]? value)
    {
        private string? _text;

        public Store Store { get; } = store;

        public byte[] Key { get; } = key;

        /// <summary>The value as the server sent it; null for a missing key (also worth caching).</summary>
        public byte[]? Value { get; } = value;

        public string? Text => Value is null ? null : _text ??= Encoding.UTF8.GetString(Value);

        /// <summary>Read since the clock hand last passed (written from any thread; a lost write only costs an early eviction).</summary>
        public bool Referenced { get; set; }

        /// <summary>No longer in its store: set by whoever removed it; the clock skips it (a stale read only costs a failed removal).</summary>
        public bool Removed { get; set; }
    }

    /// <summary>One database's entries, and the keys whose GET is in flight with the token of the latest.</summary>
    internal sealed class Store
    {
        public Store() => Lookup = Entries.GetAlternateLookup<ReadOnlySpan<byte>>();

        public ConcurrentDictionary<byte[], Entry> Entries { get; } = new(KeyComparer.Instance);

        public ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> Lookup { get; }

        public ConcurrentDictionary<byte[], long> Pending { get; } = new(KeyComparer.Instance);

        public ConcurrentDictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> PendingLookup => Pending.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Compares keys by content, and looks them up by span so a hit allocates no key.</summary>
    private sealed class KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
