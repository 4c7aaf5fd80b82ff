using System.Reactive;
using System.Reactive.Linq;

namespace ReactiveKv.Redis;

/// <summary>
/// A Redis client on the reactor. One shared connection carries every ordinary command, pipelined (callers never
/// wait for each other's replies); pub/sub has its own connection; blocking commands and WATCH transactions use a
/// small pool of dedicated connections. Reconnects by itself with backoff.
/// </summary>
public sealed class RedisClient : IConnectableClient
{
    private readonly Reactor _reactor;
    private readonly Lazy<RedisSubscriber> _subscriber;
    private readonly Lazy<RedisConnectionPool> _pool;
    private readonly Lazy<RedisMonitor> _monitor;

    private RedisClient(Reactor reactor, RedisOptions options)
    {
        _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.ClientCache is not null && !options.PreferResp3)
        {
            throw new ArgumentException("Client-side caching needs RESP3 (invalidations must arrive on the shared connection, in order with its replies); leave PreferResp3 on.", nameof(options));
        }

        Multiplexer = new RedisMultiplexer(reactor, options, lazy: true);
        Db = new RedisDatabase(this, options.Database, null);
        _subscriber = new Lazy<RedisSubscriber>(() => new RedisSubscriber(reactor, options));
        _pool = new Lazy<RedisConnectionPool>(() => new RedisConnectionPool(reactor, options) { Replied = Cache?.ForgetHandler });
        _monitor = new Lazy<RedisMonitor>(() => new RedisMonitor(reactor, options));
        if (options.ClientCache is { } cacheOptions)
        {
            Cache = new RedisClientCache(Multiplexer.Loop, cacheOptions);
            AttachCache(Cache);
        }
    }

    /// <summary>
    /// The client-side cache (<see cref="RedisOptions.ClientCache"/>): its counters and <see cref="RedisClientCache.Clear"/>;
    /// null when caching is off.
    /// </summary>
    public RedisClientCache? Cache { get; }

    /// <summary>The options.</summary>
    public RedisOptions Options { get; }

    /// <summary>The default database (from the options or the URL).</summary>
    public RedisDatabase Db { get; }

    /// <summary>RESP version in use on the shared connection: 2 or 3 (0 before the first connect).</summary>
    public int Protocol => Multiplexer.Protocol;

    /// <summary>True while the shared connection is up.</summary>
    public bool IsConnected => Multiplexer.IsConnected;

    /// <summary>
    /// The loop the shared connection lives on. Code that runs there (a protocol, a looping call, an async method
    /// started with <see cref="EventLoop.InvokeAsync{T}(Func{T})"/>) awaits this client's results without any thread
    /// hop, as Twisted code on the reactor does; it must not block.
    /// </summary>
    public EventLoop Loop => Multiplexer.Loop;

    internal RedisMultiplexer Multiplexer { get; }

    /// <summary>A client that connects on first use (and again after a loss); commands made meanwhile wait in the backlog.</summary>
    public static RedisClient Create(Reactor reactor, RedisOptions options) => new(reactor, options);

    /// <summary>A client for a <c>redis://</c>, <c>rediss://</c> or <c>unix://</c> URL that connects on first use.</summary>
    public static RedisClient Create(Reactor reactor, string url) => new(reactor, RedisOptions.Parse(url));

    /// <summary>Connects and completes with the client once the first handshake is done, or fails with the connect error.</summary>
    public static Task<RedisClient> ConnectAsync(Reactor reactor, RedisOptions options, CancellationToken cancellationToken = default) =>
        ConnectableClient.ConnectOrDisposeAsync(new RedisClient(reactor, options), cancellationToken);

    /// <summary>Connects to a <c>redis://</c>, <c>rediss://</c> or <c>unix://</c> URL.</summary>
    public static Task<RedisClient> ConnectAsync(Reactor reactor, string url, CancellationToken cancellationToken = default) =>
        ConnectAsync(reactor, RedisOptions.Parse(url), cancellationToken);

    /// <summary>Connects the shared connection now, if it is not up, and completes once it is ready.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => Multiplexer.ConnectAsync(cancellationToken);

    /// <summary>Commands in database <paramref name="index"/>, on the same shared connection.</summary>
    public RedisDatabase Database(int index) =>
        index >= 0 ? new RedisDatabase(this, index, null) : throw new ArgumentOutOfRangeException(nameof(index), "Database numbers are not negative.");

    /// <summary>A MULTI/EXEC transaction in the default database.</summary>
    public RedisTransaction Multi(int? database = null) =>
        new(database ?? Options.Database, (group, timeout) => Multiplexer.SubmitGroup(WatchedByCache(group), timeout));

    /// <summary>A non-transactional batch, written in one go.</summary>
    public RedisBatch Batch(int? database = null) =>
        new(database ?? Options.Database, (group, timeout) => Multiplexer.SubmitGroup(WatchedByCache(group), timeout));

    /// <summary>Takes a dedicated connection from the pool (give it back by disposing the lease).</summary>
    public Task<RedisLease> LeaseAsync(int? database = null, CancellationToken cancellationToken = default) =>
        _pool.Value.LeaseAsync(database ?? Options.Database, cancellationToken);

    /// <summary>
    /// Optimistic transaction with retries (WATCH, read, MULTI, write, EXEC), on a dedicated connection: <paramref name="body"/>
    /// reads through the lease and queues its writes on the transaction; if a watched key changes before EXEC the
    /// whole body runs again, up to <paramref name="maxAttempts"/> times. Returns the body's value from the attempt
    /// that committed.
    /// </summary>
    public async Task<T> WatchAsync<T>(RedisValue[] keys, Func<RedisLease, RedisTransaction, Task<T>> body, int maxAttempts = 16, CancellationToken cancellationToken = default)
    {
        await using var lease = await LeaseAsync(cancellationToken: cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            await lease.Watch(keys).WithCancellation(cancellationToken);
            using var transaction = lease.Multi();
            var value = await body(lease, transaction);
            if (await transaction.Execute().WithCancellation(cancellationToken))
            {
                return value;
            }

            if (attempt >= maxAttempts)
            {
                throw new RedisTransactionAbortedException();
            }
        }
    }

    /// <summary>SUBSCRIBE as a hot, shared stream: subscribers of the same channel share one server subscription.</summary>
    public IObservable<RedisMessage> Subscribe(params string[] channels) => _subscriber.Value.Subscribe(RedisSubscriber.Family.Channel, channels);

    /// <summary>PSUBSCRIBE (glob patterns, e.g. keyspace notifications <c>__keyspace@0__:*</c>).</summary>
    public IObservable<RedisMessage> PSubscribe(params string[] patterns) => _subscriber.Value.Subscribe(RedisSubscriber.Family.Pattern, patterns);

    /// <summary>SSUBSCRIBE (shard channels, Redis 7+).</summary>
    public IObservable<RedisMessage> SSubscribe(params string[] channels) => _subscriber.Value.Subscribe(RedisSubscriber.Family.Shard, channels);

    /// <summary>
    /// MONITOR as a hot, shared stream of every command the server runs, on a connection of its own: opened with the
    /// first subscriber (and MONITOR sent again after each reconnect), closed when the last one leaves. Commands run
    /// while the connection was down are not seen. MONITOR costs the server noticeably: for debugging, not for production paths.
    /// </summary>
    public IObservable<RedisMonitorLine> Monitor() => _monitor.Value.Lines;

    /// <summary>PUBLISH on the shared connection.</summary>
    public Deferred<long> Publish(RedisValue channel, RedisValue message) => Db.Publish(channel, message);

    /// <summary>BLPOP on a dedicated connection: the first element of the first non-empty list, or null after <paramref name="timeout"/> (zero: wait for ever).</summary>
    public Task<KeyValuePair<string, string>?> BLPopAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BLPOP", Replies.KeyedValue, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <summary>BRPOP on a dedicated connection.</summary>
    public Task<KeyValuePair<string, string>?> BRPopAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BRPOP", Replies.KeyedValue, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <summary>BRPOPLPUSH on a dedicated connection.</summary>
    public Task<string?> BRPopLPushAsync(RedisValue source, RedisValue destination, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BRPOPLPUSH", Replies.String, [source, destination, Seconds(timeout)], timeout, cancellationToken);

    /// <summary>BLMOVE on a dedicated connection.</summary>
    public Task<string?> BLMoveAsync(RedisValue source, RedisValue destination, ListEnd from, ListEnd to, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BLMOVE", Replies.String, [source, destination, from.ToString().ToUpperInvariant(), to.ToString().ToUpperInvariant(), Seconds(timeout)], timeout, cancellationToken);

    /// <summary>BZPOPMIN on a dedicated connection.</summary>
    public Task<KeyedSortedSetEntry?> BZPopMinAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BZPOPMIN", Replies.KeyedScoredMember, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <summary>BZPOPMAX on a dedicated connection.</summary>
    public Task<KeyedSortedSetEntry?> BZPopMaxAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BZPOPMAX", Replies.KeyedScoredMember, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <summary>XREAD BLOCK on a dedicated connection: waits up to <paramref name="block"/> for entries after the given IDs.</summary>
    public Task<IReadOnlyDictionary<string, StreamEntry[]>> XReadBlockingAsync(IEnumerable<KeyValuePair<RedisValue, string>> streams, TimeSpan block, long? count = null, CancellationToken cancellationToken = default) =>
        BlockingAsync("XREAD", StreamReplies.Read, RedisCommands.StreamReadArgsFor(count, block, streams), block, cancellationToken);

    /// <summary>WAIT for <paramref name="replicas"/> replicas to acknowledge earlier writes (on a dedicated connection).</summary>
    public Task<long> WaitAsync(long replicas, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("WAIT", Replies.Integer, [replicas, (long)timeout.TotalMilliseconds], timeout, cancellationToken);

    /// <summary>
    /// XREADGROUP as a hot stream: a dedicated connection reads the group with BLOCK in a loop and pushes each new
    /// entry; acknowledge with <see cref="RedisCommands.XAck"/>. Disposing the last subscription stops the loop.
    /// </summary>
    public IObservable<StreamEntry> XReadGroupStream(RedisValue key, RedisValue group, RedisValue consumer, long batch = 100, TimeSpan? block = null) =>
        Observable.Create<StreamEntry>(async (observer, token) =>
        {
            var wait = block ?? TimeSpan.FromSeconds(1);
            await using var lease = await LeaseAsync(cancellationToken: token);
            while (!token.IsCancellationRequested)
            {
                var command = new RedisCommand<StreamEntry[]>("XREADGROUP", lease.DatabaseIndex, RedisCommands.GroupReadArgsFor(group, consumer, key, ">", batch, wait),
                    static (in RawReply r) => StreamReplies.Read(r).Values.FirstOrDefault() ?? []) { Blocking = true };
                var entries = await lease.RunBlocking(command, wait);
                foreach (var entry in entries)
                {
                    observer.OnNext(entry);
                }
            }
        }).Publish().RefCount();

    /// <summary>Closes every connection; commands still waiting fail with <see cref="RedisConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await Multiplexer.DisposeAsync().ConfigureAwait(false);
        if (_subscriber.IsValueCreated)
        {
            await _subscriber.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_pool.IsValueCreated)
        {
            await _pool.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_monitor.IsValueCreated)
        {
            await _monitor.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>With a cache, the command's reply makes the cache forget the keys it names (reads excepted).</summary>
    internal T WatchedByCache<T>(T command)
        where T : RedisCommand
    {
        if (Cache is { } cache && command.Name is not ("GET" or "MGET" or "PING"))
        {
            command.Replied = cache.ForgetHandler;
        }

        return command;
    }

    private IReadOnlyList<RedisCommand> WatchedByCache(IReadOnlyList<RedisCommand> group)
    {
        foreach (var command in group)
        {
            WatchedByCache(command.Executed);
        }

        return group;
    }

    private void AttachCache(RedisClientCache cache)
    {
        Multiplexer.PushReceived = cache.OnPush;

        // Tracking lives and dies with a connection: whatever was cached under the old one may have changed unseen.
        Multiplexer.ConnectionLost = cache.ClearNow;
        // Not cleared again here: the loss did that, and GETs waiting for this connection are marked already.
        Multiplexer.AfterHandshake = async (protocol, send) =>
        {
            if (protocol != 3)
            {
                throw new RedisConnectionException($"Client-side caching needs RESP3 (HELLO 3, Redis 6+); {Options.Describe()} speaks RESP{protocol}. Turn ClientCache off for this server.", false);
            }

            await send("CLIENT", cache.TrackingArguments());
        };
    }

    private async Task<T> BlockingAsync<T>(string name, ReplyProcessor<T> processor, RedisValue[] arguments, TimeSpan serverTimeout, CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken: cancellationToken);
        var command = new RedisCommand<T>(name, lease.DatabaseIndex, arguments, processor) { Blocking = true };
        return await lease.RunBlocking(command, serverTimeout).WithCancellation(cancellationToken);
    }

    private static RedisValue Seconds(TimeSpan timeout) => timeout.TotalSeconds;
}
