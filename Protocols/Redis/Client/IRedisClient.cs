namespace ReactiveKv.Redis;

/// <summary>
/// The operation surface of a Redis client (<see cref="RedisClient"/> implements it), so code can be written against
/// it and unit-tested with a fake. Operations that wait for the server take a <see cref="CancellationToken"/> last:
/// cancelling it fails that call with <see cref="OperationCanceledException"/> and leaves the client's connections
/// and every other call unaffected. The hot and cold observables (pub/sub, MONITOR, scans) stop when their
/// subscription is disposed.
/// </summary>
public interface IRedisClient : IConnectableClient
{
    /// <summary>The options.</summary>
    RedisOptions Options { get; }

    /// <summary>True while the shared connection is up (in a cluster: while a connection to some node is).</summary>
    bool IsConnected { get; }

    /// <summary>
    /// True once the client found a Redis Cluster behind its seed (HELLO said so, or a node redirected a command):
    /// from then on each command goes to the node that owns its keys' hash slot.
    /// </summary>
    bool IsCluster { get; }

    /// <summary>RESP version in use on the shared connection: 2 or 3 (0 before the first connect).</summary>
    int Protocol { get; }

    /// <summary>The default database (from the options or the URL).</summary>
    IRedisDatabase Db { get; }

    /// <summary>Commands in database <paramref name="index"/>, on the same shared connection.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    IRedisDatabase Database(int index);

    /// <summary>A MULTI/EXEC transaction in the default database, or in <paramref name="database"/>.</summary>
    IRedisTransaction Multi(int? database = null);

    /// <summary>A non-transactional batch, written in one go (in a cluster, one group per node, each key's commands in order).</summary>
    IRedisBatch Batch(int? database = null);

    /// <summary>Takes a dedicated connection from the pool (give it back by disposing the lease); in a cluster, to any primary.</summary>
    Task<IRedisLease> LeaseAsync(int? database = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a dedicated connection to the server that holds <paramref name="keys"/>: in a cluster, the node that owns
    /// their slot (they must share one); otherwise the one server.
    /// </summary>
    /// <exception cref="RedisCrossSlotException">The keys hash to more than one slot of the cluster.</exception>
    Task<IRedisLease> LeaseAsync(IReadOnlyList<RedisValue> keys, int? database = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Optimistic transaction with retries (WATCH, read, MULTI, write, EXEC), on a dedicated connection: <paramref name="body"/>
    /// reads through the lease and queues its writes on the transaction; if a watched key changes before EXEC the
    /// whole body runs again, up to <paramref name="maxAttempts"/> times. Returns the body's value from the attempt
    /// that committed.
    /// </summary>
    /// <exception cref="RedisTransactionAbortedException">Every attempt was aborted by a change to a watched key.</exception>
    Task<T> WatchAsync<T>(RedisValue[] keys, Func<IRedisLease, IRedisTransaction, Task<T>> body, int maxAttempts = 16, CancellationToken cancellationToken = default);

    /// <summary>SUBSCRIBE as a hot, shared stream: subscribers of the same channel share one server subscription.</summary>
    IObservable<RedisMessage> Subscribe(params string[] channels);

    /// <summary>PSUBSCRIBE (glob patterns, e.g. keyspace notifications <c>__keyspace@0__:*</c>).</summary>
    IObservable<RedisMessage> PSubscribe(params string[] patterns);

    /// <summary>SSUBSCRIBE (shard channels, Redis 7+).</summary>
    /// <remarks>
    /// In a cluster each channel is subscribed on the node that owns its hash slot, and moved with the slot (with a
    /// <see cref="RedisMessageKind.Gap"/> notice).
    /// </remarks>
    IObservable<RedisMessage> SSubscribe(params string[] channels);

    /// <summary>
    /// MONITOR as a hot, shared stream of every command the server runs, on a connection of its own: opened with the
    /// first subscriber (and MONITOR sent again after each reconnect), closed when the last one leaves. Commands run
    /// while the connection was down are not seen. MONITOR costs the server noticeably: for debugging, not for production paths.
    /// </summary>
    IObservable<RedisMonitorLine> Monitor();

    /// <summary>PUBLISH on the shared connection: the number of subscribers that received it.</summary>
    Deferred<long> Publish(RedisValue channel, RedisValue message, CancellationToken cancellationToken = default);

    /// <summary>
    /// The servers behind this client: every node of the cluster's last slot map (primaries and replicas), or the one
    /// server (justredis's <c>endpoints()</c>).
    /// </summary>
    Deferred<IReadOnlyList<RedisClusterNode>> Endpoints(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="command"/> on every primary (the one server when not in a cluster) and returns each
    /// node's reply by its <c>host:port</c> (justredis's <c>run_commandreply_on_all_masters</c>): KEYS, FLUSHALL,
    /// SCRIPT LOAD, DBSIZE, CONFIG SET, anything. An error reply from a node fails the whole call with it.
    /// </summary>
    Deferred<IReadOnlyDictionary<string, RespValue>> RunOnAllPrimaries(string command, params RedisValue[] arguments);

    /// <summary>
    /// Runs <paramref name="command"/> on every primary (the one server when not in a cluster) and returns each
    /// node's reply by its <c>host:port</c>; cancelling <paramref name="cancellationToken"/> stops waiting for them.
    /// </summary>
    Deferred<IReadOnlyDictionary<string, RespValue>> RunOnAllPrimaries(string command, RedisValue[] arguments, CancellationToken cancellationToken);

    /// <summary>
    /// BLPOP on a dedicated connection: the first element of the first non-empty list, or null after
    /// <paramref name="timeout"/> (zero: wait for ever). Cancelling closes that dedicated connection (its reply can no
    /// longer be waited for), never the shared one.
    /// </summary>
    Task<KeyValuePair<string, string>?> BLPopAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>BRPOP on a dedicated connection.</summary>
    Task<KeyValuePair<string, string>?> BRPopAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>BRPOPLPUSH on a dedicated connection.</summary>
    Task<string?> BRPopLPushAsync(RedisValue source, RedisValue destination, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>BLMOVE on a dedicated connection.</summary>
    Task<string?> BLMoveAsync(RedisValue source, RedisValue destination, ListEnd from, ListEnd to, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>BZPOPMIN on a dedicated connection.</summary>
    Task<KeyedSortedSetEntry?> BZPopMinAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>BZPOPMAX on a dedicated connection.</summary>
    Task<KeyedSortedSetEntry?> BZPopMaxAsync(RedisValue[] keys, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>XREAD BLOCK on a dedicated connection: waits up to <paramref name="block"/> for entries after the given IDs.</summary>
    Task<IReadOnlyDictionary<string, StreamEntry[]>> XReadBlockingAsync(IEnumerable<KeyValuePair<RedisValue, string>> streams, TimeSpan block, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>WAIT for <paramref name="replicas"/> replicas to acknowledge earlier writes (on a dedicated connection).</summary>
    Task<long> WaitAsync(long replicas, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// XREADGROUP as a hot stream: a dedicated connection reads the group with BLOCK in a loop and pushes each new
    /// entry; acknowledge with <see cref="IRedisCommands.XAck(RedisValue, RedisValue, RedisValue[])"/>. Disposing the last subscription stops the loop.
    /// </summary>
    IObservable<StreamEntry> XReadGroupStream(RedisValue key, RedisValue group, RedisValue consumer, long batch = 100, TimeSpan? block = null);
}
