using System.Reactive;
using System.Reactive.Linq;

namespace ReactiveKv.Redis;

/// <summary>
/// A Redis client on the reactor. One shared connection carries every ordinary command, pipelined (callers never
/// wait for each other's replies); pub/sub has its own connection; blocking commands and WATCH transactions use a
/// small pool of dedicated connections. Reconnects by itself with backoff.
/// </summary>
public sealed class RedisClient : IRedisClient
{
    private readonly Reactor _reactor;
    private readonly Lazy<RedisSubscriber> _subscriber;
    private readonly Lazy<RedisConnectionPool> _pool;
    private readonly ClusterDetector _detector;
    private volatile RedisClusterRouter? _cluster;
    private volatile bool _standalone;
    private ClusterShardedSubscriber? _sharded;
    private readonly SentinelResolver? _sentinel;
    private readonly Lazy<RedisMonitor> _monitor;

    private RedisClient(Reactor reactor, RedisOptions options)
    {
        _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));
        ArgumentNullException.ThrowIfNull(options);
        options = options with { Monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, RedisErrors.Instance.Backend) };
        Options = options;
        if (options.ClientCache is not null && !options.PreferResp3)
        {
            throw new ArgumentException("Client-side caching needs RESP3 (invalidations must arrive on the shared connection, in order with its replies); leave PreferResp3 on.", nameof(options));
        }

        // One resolver for every connection of the client: one +switch-master subscription moves them all.
        _sentinel = options.Sentinels.Count > 0 && options.ConnectWith is null ? new SentinelResolver(reactor, options) : null;
        Multiplexer = new RedisMultiplexer(reactor, options, lazy: true, sentinel: _sentinel);
        _detector = new ClusterDetector(this);
        Multiplexer.Ready = Detect;
        Db = new RedisDatabase(this, options.Database, null);
        _subscriber = new Lazy<RedisSubscriber>(() => new RedisSubscriber(reactor, options, _sentinel));
        _pool = new Lazy<RedisConnectionPool>(() => new RedisConnectionPool(reactor, options, _sentinel) { Replied = Cache?.ForgetHandler });
        _monitor = new Lazy<RedisMonitor>(() => new RedisMonitor(reactor, options, _sentinel));
        if (options.ClientCache is { } cacheOptions)
        {
            Cache = new RedisClientCache(Multiplexer.Loop, cacheOptions);
            AttachCache(Multiplexer, Cache);
        }

        if (options.UnixSocket is not null || _sentinel is not null)
        {
            _standalone = true;
        }
        else if (options.Seeds.Count > 1)
        {
            // Several seeds name a cluster: any of them may be down, so none is needed to start.
            _cluster = NewRouter();
        }
    }

    /// <summary>
    /// The client-side cache (<see cref="RedisOptions.ClientCache"/>): its counters and <see cref="RedisClientCache.Clear"/>;
    /// null when caching is off.
    /// </summary>
    public RedisClientCache? Cache { get; }

    /// <inheritdoc/>
    public RedisOptions Options { get; }

    /// <inheritdoc />
    public ClientConnectionState ConnectionState => ConnectionMonitor.State;

    /// <inheritdoc />
    public Exception? LastConnectionError => ConnectionMonitor.LastError;

    /// <inheritdoc />
    public IObservable<ClientConnectionEvent> ConnectionEvents => ConnectionMonitor.Events;

    /// <summary>Where every connection of the client reports its events and state (pub/sub, dedicated and cluster node connections included).</summary>
    public ClientConnectionMonitor ConnectionMonitor => Options.Monitor!;

    /// <inheritdoc cref="IRedisClient.Db"/>
    public RedisDatabase Db { get; }

    /// <inheritdoc/>
    public int Protocol => Multiplexer.Protocol;

    /// <inheritdoc/>
    public bool IsConnected => _cluster is { } cluster ? cluster.AnyConnected : Multiplexer.IsConnected;

    /// <summary>
    /// The loop the shared connection lives on. Code that runs there (a protocol, a looping call, an async method
    /// started with <see cref="EventLoop.InvokeAsync{T}(Func{T})"/>) awaits this client's results without any thread
    /// hop, as Twisted code on the reactor does; it must not block.
    /// </summary>
    public EventLoop Loop => Multiplexer.Loop;

    internal RedisMultiplexer Multiplexer { get; }

    /// <inheritdoc/>
    public bool IsCluster => _cluster is not null;

    internal RedisClusterRouter? Cluster => _cluster;

    /// <summary>The sentinel resolver every connection of a <c>redis+sentinel://</c> client shares; null otherwise.</summary>
    internal SentinelResolver? Sentinel => _sentinel;

    /// <summary>A client that connects on first use (and again after a loss); commands made meanwhile wait in the backlog.</summary>
    public static RedisClient Create(Reactor reactor, RedisOptions options) => new(reactor, options);

    /// <summary>A client for a <c>redis://</c>, <c>rediss://</c>, <c>unix://</c> or <c>redis+sentinel://</c> URL that connects on first use.</summary>
    public static RedisClient Create(Reactor reactor, string url) => new(reactor, RedisOptions.Parse(url));

    /// <summary>Connects and completes with the client once the first handshake is done, or fails with the connect error.</summary>
    public static Task<RedisClient> ConnectAsync(Reactor reactor, RedisOptions options, CancellationToken cancellationToken = default) =>
        ConnectableClient.ConnectOrDisposeAsync(new RedisClient(reactor, options), cancellationToken);

    /// <summary>Connects to a <c>redis://</c>, <c>rediss://</c>, <c>unix://</c> or <c>redis+sentinel://</c> URL.</summary>
    public static Task<RedisClient> ConnectAsync(Reactor reactor, string url, CancellationToken cancellationToken = default) =>
        ConnectAsync(reactor, RedisOptions.Parse(url), cancellationToken);

    /// <summary>
    /// Connects the shared connection now, if it is not up, and completes once it is ready; in a cluster, once the
    /// slot map has been read too.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_cluster is { } seeded && seeded.Map is null)
        {
            await seeded.RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await Multiplexer.ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (_cluster is { } cluster && cluster.Map is null)
        {
            await cluster.RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Deferred<IReadOnlyList<RedisClusterNode>> Endpoints(CancellationToken cancellationToken = default) =>
        _cluster is { } cluster
            ? Deferred.FromTask(cluster.NodesAsync(cancellationToken)).WithCancellation(cancellationToken)
            : Deferred.Succeed<IReadOnlyList<RedisClusterNode>>([new RedisClusterNode("", Options.UnixSocket ?? Options.Host, Options.UnixSocket is null ? Options.Port : 0, true)]);

    /// <inheritdoc/>
    public Deferred<IReadOnlyDictionary<string, RespValue>> RunOnAllPrimaries(string command, params RedisValue[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var name = command.ToUpperInvariant();
        if (_cluster is not { } cluster)
        {
            return Db.Execute(name, arguments).Then<IReadOnlyDictionary<string, RespValue>>(reply => new Dictionary<string, RespValue> { [Multiplexer.Endpoint] = reply });
        }

        return Deferred.FromTask(RunOnAllPrimariesAsync(cluster, name, arguments));
    }

    /// <inheritdoc/>
    public Deferred<IReadOnlyDictionary<string, RespValue>> RunOnAllPrimaries(string command, RedisValue[] arguments, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? Deferred.Fail<IReadOnlyDictionary<string, RespValue>>(new OperationCanceledException("The operation was cancelled.", cancellationToken))
            : RunOnAllPrimaries(command, arguments).WithCancellation(cancellationToken);

    internal Deferred<T> Submit<T>(RedisCommand<T> command, TimeSpan? timeout)
    {
        if (_cluster is { } cluster)
        {
            return cluster.Submit(command, timeout);
        }

        if (!_standalone)
        {
            // Until the server said what it is, a redirect or a cross-slot refusal is how a cluster shows itself.
            command.Redirects = _detector;
        }

        return Multiplexer.Submit(command, timeout);
    }

    private void SubmitBatch(IReadOnlyList<RedisCommand> group, TimeSpan? timeout)
    {
        if (_cluster is { } cluster)
        {
            cluster.SubmitBatch(group, timeout);
            return;
        }

        Multiplexer.SubmitGroup(group, timeout);
    }

    private void SubmitTransaction(IReadOnlyList<RedisCommand> group, TimeSpan? timeout)
    {
        if (_cluster is { } cluster)
        {
            cluster.SubmitTransaction(group, timeout);
            return;
        }

        Multiplexer.SubmitGroup(group, timeout);
    }

    private static async Task<IReadOnlyDictionary<string, RespValue>> RunOnAllPrimariesAsync(RedisClusterRouter cluster, string name, RedisValue[] arguments)
    {
        var primaries = await cluster.PrimariesAsync().ConfigureAwait(false);
        var replies = primaries.Select(p => cluster.SendPart(new RedisCommand<RespValue>(name, -1, arguments, Replies.Any), p.Connection, null)).ToList();
        var results = await Deferred.Gather(replies);
        var byNode = new Dictionary<string, RespValue>(StringComparer.Ordinal);
        for (var i = 0; i < primaries.Count; i++)
        {
            byNode[primaries[i].Node.Endpoint] = results[i];
        }

        return byNode;
    }

    private void Detect(bool first)
    {
        if (_cluster is not null || _standalone)
        {
            return;
        }

        if (Multiplexer.Mode == "cluster")
        {
            _ = EnsureCluster().RefreshAsync();
        }
        else if (Multiplexer.Mode is not null && Options.Seeds.Count == 0)
        {
            _standalone = true;
        }
    }

    private ClusterShardedSubscriber Sharded(RedisClusterRouter cluster)
    {
        lock (_detector)
        {
            return _sharded ??= new ClusterShardedSubscriber(_reactor, cluster);
        }
    }

    // Every node's connection lives on the seed's loop: one caller's burst of commands for many nodes is written in
    // one turn and their replies read by one thread (measured faster than spreading nodes over loops, on 2 cores), and
    // a client cache is filled and evicted on that loop only. With a cache, each node tracks its keys for it.
    private RedisClusterRouter NewRouter() => Cache is { } cache
        ? new RedisClusterRouter(_reactor, Options, Multiplexer, node => AttachCache(node, cache), Multiplexer.Loop)
        : new RedisClusterRouter(_reactor, Options, Multiplexer, null, Multiplexer.Loop);

    private RedisClusterRouter EnsureCluster()
    {
        lock (_detector)
        {
            return _cluster ??= NewRouter();
        }
    }

    /// <inheritdoc cref="IRedisClient.Database"/>
    public RedisDatabase Database(int index) =>
        index >= 0 ? new RedisDatabase(this, index, null) : throw new ArgumentOutOfRangeException(nameof(index), "Database numbers are not negative.");

    /// <inheritdoc cref="IRedisClient.Multi"/>
    public RedisTransaction Multi(int? database = null) =>
        new(database ?? Options.Database, (group, timeout) => SubmitTransaction(WatchedByCache(group), timeout));

    /// <inheritdoc cref="IRedisClient.Batch"/>
    public RedisBatch Batch(int? database = null) =>
        new(database ?? Options.Database, (group, timeout) => SubmitBatch(WatchedByCache(group), timeout));

    /// <inheritdoc cref="IRedisClient.LeaseAsync(int?, CancellationToken)"/>
    public Task<RedisLease> LeaseAsync(int? database = null, CancellationToken cancellationToken = default) =>
        _pool.Value.LeaseAsync(database ?? Options.Database, cancellationToken);

    /// <inheritdoc cref="IRedisClient.LeaseAsync(IReadOnlyList{RedisValue}, int?, CancellationToken)"/>
    public Task<RedisLease> LeaseAsync(IReadOnlyList<RedisValue> keys, int? database = null, CancellationToken cancellationToken = default) =>
        _cluster is { } cluster
            ? cluster.PoolFor(keys).LeaseAsync(database ?? Options.Database, cancellationToken)
            : LeaseAsync(database, cancellationToken);

    /// <inheritdoc cref="IRedisClient.WatchAsync{T}"/>
    public async Task<T> WatchAsync<T>(RedisValue[] keys, Func<RedisLease, RedisTransaction, Task<T>> body, int maxAttempts = 16, CancellationToken cancellationToken = default)
    {
        await using var lease = await LeaseAsync(keys, cancellationToken: cancellationToken);
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

    /// <inheritdoc/>
    public IObservable<RedisMessage> Subscribe(params string[] channels) => _subscriber.Value.Subscribe(RedisSubscriber.Family.Channel, channels);

    /// <inheritdoc/>
    public IObservable<RedisMessage> PSubscribe(params string[] patterns) => _subscriber.Value.Subscribe(RedisSubscriber.Family.Pattern, patterns);

    /// <inheritdoc/>
    public IObservable<RedisMessage> SSubscribe(params string[] channels) =>
        _cluster is { } cluster
            ? Sharded(cluster).Subscribe(channels)
            : _subscriber.Value.Subscribe(RedisSubscriber.Family.Shard, channels);

    /// <inheritdoc/>
    public IObservable<RedisMonitorLine> Monitor() => _monitor.Value.Lines;

    /// <inheritdoc/>
    public Deferred<long> Publish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default) => Db.Publish(channel, message, cancellationToken);

    /// <inheritdoc/>
    public Task<KeyValuePair<string, string>?> BLPopAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BLPOP", Replies.KeyedValue, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <inheritdoc/>
    public Task<KeyValuePair<string, string>?> BRPopAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BRPOP", Replies.KeyedValue, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <inheritdoc/>
    public Task<string?> BRPopLPushAsync(RedisValue source, RedisValue destination, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BRPOPLPUSH", Replies.String, [source, destination, Seconds(timeout)], timeout, cancellationToken);

    /// <inheritdoc/>
    public Task<string?> BLMoveAsync(RedisValue source, RedisValue destination, ListEnd from, ListEnd to, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BLMOVE", Replies.String, [source, destination, from.ToString().ToUpperInvariant(), to.ToString().ToUpperInvariant(), Seconds(timeout)], timeout, cancellationToken);

    /// <inheritdoc/>
    public Task<KeyedSortedSetEntry?> BZPopMinAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BZPOPMIN", Replies.KeyedScoredMember, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <inheritdoc/>
    public Task<KeyedSortedSetEntry?> BZPopMaxAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("BZPOPMAX", Replies.KeyedScoredMember, [.. keys, Seconds(timeout)], timeout, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, StreamEntry[]>> XReadBlockingAsync(IEnumerable<KeyValuePair<RedisValue, string>> streams, TimeSpan block, long? count = null, CancellationToken cancellationToken = default) =>
        BlockingAsync("XREAD", StreamReplies.Read, RedisCommands.StreamReadArgsFor(count, block, streams), block, cancellationToken);

    /// <inheritdoc/>
    public Task<long> WaitAsync(long replicas, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        BlockingAsync("WAIT", Replies.Integer, [replicas, (long)timeout.TotalMilliseconds], timeout, cancellationToken);

    /// <inheritdoc/>
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

    /// <inheritdoc/>
    IRedisDatabase IRedisClient.Db => Db;

    /// <inheritdoc/>
    IRedisDatabase IRedisClient.Database(int index) => Database(index);

    /// <inheritdoc/>
    IRedisTransaction IRedisClient.Multi(int? database) => Multi(database);

    /// <inheritdoc/>
    IRedisBatch IRedisClient.Batch(int? database) => Batch(database);

    /// <inheritdoc/>
    async Task<IRedisLease> IRedisClient.LeaseAsync(int? database, CancellationToken cancellationToken) =>
        await LeaseAsync(database, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    async Task<IRedisLease> IRedisClient.LeaseAsync(IReadOnlyList<RedisValue> keys, int? database, CancellationToken cancellationToken) =>
        await LeaseAsync(keys, database, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    Task<T> IRedisClient.WatchAsync<T>(RedisValue[] keys, Func<IRedisLease, IRedisTransaction, Task<T>> body, int maxAttempts, CancellationToken cancellationToken) =>
        WatchAsync(keys, body, maxAttempts, cancellationToken);

    /// <summary>Closes every connection; commands still waiting fail with <see cref="RedisConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sharded is { } sharded)
        {
            await sharded.DisposeAsync().ConfigureAwait(false);
        }

        if (_cluster is { } cluster)
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
        }

        await Multiplexer.DisposeAsync().ConfigureAwait(false);
        if (_subscriber.IsValueCreated)
        {
            await _subscriber.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_pool.IsValueCreated)
        {
            await _pool.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_sentinel is not null)
        {
            await _sentinel.DisposeAsync().ConfigureAwait(false);
        }

        if (_monitor.IsValueCreated)
        {
            await _monitor.Value.DisposeAsync().ConfigureAwait(false);
        }

        ConnectionMonitor.Complete();
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

    private void AttachCache(RedisMultiplexer connection, RedisClientCache cache)
    {
        connection.PushReceived = cache.OnPush;

        // Tracking lives and dies with a connection: whatever was cached under the old one may have changed unseen.
        connection.ConnectionLost = cache.ClearNow;
        // Not cleared again here: the loss did that, and GETs waiting for this connection are marked already.
        connection.AfterHandshake = async (protocol, send) =>
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
        // A token cancelled already leases no connection (the pool checks), so nothing is sent.
        await using var lease = await LeaseForAsync(name, arguments, cancellationToken);
        var command = new RedisCommand<T>(name, lease.DatabaseIndex, arguments, processor) { Blocking = true };
        try
        {
            return await lease.RunBlocking(command, serverTimeout).WithCancellation(cancellationToken);
        }
        catch when (command.Written)
        {
            // Marked here, before the lease goes back: a connection still blocked in the server (the caller cancelled
            // or timed out) is closed, never handed to the next caller.
            lease.Poisoned = true;
            throw;
        }
    }

    private static RedisValue Seconds(TimeSpan timeout) => timeout.TotalSeconds;

    private Task<RedisLease> LeaseForAsync(string name, RedisValue[] arguments, CancellationToken cancellationToken)
    {
        if (_cluster is null)
        {
            return LeaseAsync(cancellationToken: cancellationToken);
        }

        var positions = new List<int>();
        CommandKeys.TryFind(name, arguments, positions);
        return LeaseAsync([.. positions.Select(i => arguments[i])], cancellationToken: cancellationToken);
    }

    /// <summary>Watches the first replies of a client that does not know yet whether it talks to a cluster.</summary>
    private sealed class ClusterDetector(RedisClient client) : IRedirectHandler
    {
        public bool TryRedirect(RedisCommand command, string error)
        {
            var kind = ClusterRedirect.Parse(error).Kind;
            if (kind == ClusterRedirectKind.None || client._standalone)
            {
                return false;
            }

            var cluster = client.EnsureCluster();
            if (kind != ClusterRedirectKind.CrossSlot)
            {
                return cluster.TryRedirect(command, error);
            }

            if (command.CopyToResend() is not { } again)
            {
                return false;
            }

            // Sent before the client knew: split it now, as it would have been.
            again.Redirects = null;
            var deadline = RedisClusterRouter.DeadlineOf(command);
            again.SubmitTo(cluster, deadline == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : deadline - client.Multiplexer.Loop.Now);
            return true;
        }
    }
}
