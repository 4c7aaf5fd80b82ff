using System.Reactive;

namespace ReactiveKv.Redis;

/// <summary>
/// A non-transactional batch: commands are collected, then <see cref="Execute"/> writes them back to back in one go.
/// Each keeps its own Deferred; unlike a transaction, other clients' commands may run between them on the server.
/// </summary>
public sealed class RedisBatch : RedisQueuedCommands, IRedisBatch
{
    private readonly Action<IReadOnlyList<RedisCommand>, TimeSpan?> _submit;

    internal RedisBatch(int database, Action<IReadOnlyList<RedisCommand>, TimeSpan?> submit)
        : base(database) => _submit = submit;

    /// <inheritdoc/>
    public Deferred<Unit> Execute(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Canceled<Unit>(cancellationToken) is { } canceled)
        {
            // Nothing is sent: each queued command fails too.
            Drop(new OperationCanceledException("The batch was cancelled before it was executed.", cancellationToken));
            return canceled;
        }

        var commands = Take();
        var all = Deferred.List(commands.Select(c => ((IResultSource)c).Completion));
        _submit(commands, timeout);
        return all.Then(_ => Unit.Default).WithCancellation(cancellationToken);
    }
}
