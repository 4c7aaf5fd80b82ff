using System.Reactive;

namespace ReactiveKv.Redis;

/// <summary>
/// A non-transactional batch (<see cref="RedisBatch"/> implements it): commands are collected, then
/// <see cref="Execute"/> writes them back to back in one go; each keeps its own Deferred.
/// </summary>
public interface IRedisBatch : IRedisCommands
{
    /// <summary>Commands queued so far.</summary>
    int Count { get; }

    /// <summary>True once the commands were sent; no more can be queued.</summary>
    bool Done { get; }

    /// <summary>
    /// Sends the batch; fires when every command has its result (an error in one does not fail the others).
    /// Cancelling <paramref name="cancellationToken"/> fails the returned Deferred with
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="timeout">How long to wait for the replies; null for the client's operation timeout.</param>
    /// <param name="cancellationToken">Stops waiting for the batch.</param>
    Deferred<Unit> Execute(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
