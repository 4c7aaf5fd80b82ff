namespace ReactiveKv.Redis;

/// <summary>
/// MULTI … EXEC (<see cref="RedisTransaction"/> implements it): commands called on it are queued and each returns
/// its Deferred at once; <see cref="Execute"/> sends them all, and each Deferred then fires with its own result.
/// Disposing it before <see cref="Execute"/> drops the queued commands without sending anything.
/// </summary>
public interface IRedisTransaction : IRedisCommands, IDisposable
{
    /// <summary>Commands queued so far.</summary>
    int Count { get; }

    /// <summary>True once the commands were sent or dropped; no more can be queued.</summary>
    bool Done { get; }

    /// <summary>
    /// Sends the transaction. Fires true when it committed, false when a WATCHed key changed (EXEC answered null; the
    /// queued commands then fail with <see cref="RedisTransactionAbortedException"/>). Cancelling
    /// <paramref name="cancellationToken"/> before EXEC's reply fails it and every queued command with
    /// <see cref="OperationCanceledException"/> (the server may still have run the transaction).
    /// </summary>
    /// <param name="timeout">How long to wait for EXEC's reply; null for the client's operation timeout.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    Deferred<bool> Execute(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
