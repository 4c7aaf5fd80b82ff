namespace ReactiveKv.Redis;

/// <summary>
/// A dedicated connection taken from the client's pool (<see cref="RedisLease"/> implements it), for work that must
/// own a connection: WATCH transactions and the like. Dispose it to give it back.
/// </summary>
public interface IRedisLease : IRedisCommands, IAsyncDisposable
{
    /// <summary>Starts a MULTI on this connection (WATCHed keys made on it apply).</summary>
    IRedisTransaction Multi();

    /// <summary>WATCH.</summary>
    Deferred<bool> Watch(params RedisValue[] keys);

    /// <summary>WATCH.</summary>
    Deferred<bool> Watch(RedisValue[] keys, CancellationToken cancellationToken);

    /// <summary>UNWATCH.</summary>
    Deferred<bool> Unwatch(CancellationToken cancellationToken = default);
}
