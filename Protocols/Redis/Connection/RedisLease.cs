namespace ReactiveKv.Redis;

/// <summary>
/// A dedicated connection taken from the client's pool, for work that must own a connection: blocking commands and
/// WATCH transactions. Dispose it to give it back; a lease whose connection may be mid-command is closed instead.
/// </summary>
public sealed class RedisLease : RedisCommands, IRedisLease
{
    private readonly RedisConnectionPool _pool;
    private bool _returned;

    internal RedisLease(RedisConnectionPool pool, RedisMultiplexer connection, int database)
        : base(database)
    {
        _pool = pool;
        Connection = connection;
    }

    internal RedisMultiplexer Connection { get; }

    /// <summary>True when the connection must not be reused (a command on it was abandoned mid-flight).</summary>
    internal bool Poisoned { get; set; }

    /// <inheritdoc cref="IRedisLease.Multi"/>
    public RedisTransaction Multi() => new(DatabaseIndex, (group, timeout) => Connection.SubmitGroup(Watched(group), timeout));

    /// <inheritdoc/>
    IRedisTransaction IRedisLease.Multi() => Multi();

    /// <inheritdoc/>
    public Deferred<bool> Watch(params RedisValue[] keys) => Run(new RedisCommand<bool>("WATCH", DatabaseIndex, keys, Replies.Ok));

    /// <inheritdoc/>
    public Deferred<bool> Watch(RedisValue[] keys, CancellationToken cancellationToken) =>
        Canceled<bool>(cancellationToken) ?? Watch(keys).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool> Unwatch(CancellationToken cancellationToken = default) =>
        Canceled<bool>(cancellationToken) ?? Run(new RedisCommand<bool>("UNWATCH", -1, [], Replies.Ok)).WithCancellation(cancellationToken);

    /// <summary>Returns the connection to the pool (or closes it when it cannot be reused).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_returned)
        {
            return;
        }

        _returned = true;
        await _pool.ReturnAsync(this).ConfigureAwait(false);
    }

    internal Deferred<T> RunBlocking<T>(RedisCommand<T> command, TimeSpan serverTimeout)
    {
        command.Replied = _pool.Replied;
        var result = Connection.Submit(command, serverTimeout == TimeSpan.Zero ? null : serverTimeout + TimeSpan.FromSeconds(5));
        result.Subscribe(_ => { }, _ => Poisoned |= command.Written);
        return result;
    }

    /// <summary>Writes on a dedicated connection are not ordered with the cache's invalidations: the cache forgets their keys.</summary>
    private IReadOnlyList<RedisCommand> Watched(IReadOnlyList<RedisCommand> group)
    {
        foreach (var command in group)
        {
            command.Executed.Replied = _pool.Replied;
        }

        return group;
    }

    private protected override Deferred<T> Run<T>(RedisCommand<T> command)
    {
        command.Replied = _pool.Replied;
        var result = Connection.Submit(command);
        result.Subscribe(_ => { }, e => Poisoned |= e is RedisConnectionException && command.Written);
        return result;
    }
}
