using System.Reactive;

namespace ReactiveKv.Redis;

/// <summary>
/// A non-transactional batch: commands are collected, then <see cref="Execute"/> writes them back to back in one go.
/// Each keeps its own Deferred; unlike a transaction, other clients' commands may run between them on the server.
/// </summary>
public sealed class RedisBatch : RedisCommands
{
    private readonly Action<IReadOnlyList<RedisCommand>, TimeSpan?> _submit;
    private readonly List<RedisCommand> _queued = [];
    private bool _done;

    internal RedisBatch(int database, Action<IReadOnlyList<RedisCommand>, TimeSpan?> submit)
        : base(database) => _submit = submit;

    /// <summary>Commands collected so far.</summary>
    public int Count => _queued.Count;

    /// <summary>Sends the batch; fires when every command has its result (an error in one does not fail the others).</summary>
    public Deferred<Unit> Execute(TimeSpan? timeout = null)
    {
        if (_done)
        {
            throw new InvalidOperationException("This batch was already executed.");
        }

        _done = true;
        var all = Deferred.List(_queued.Select(c => ((IResultSource)c).Completion));
        _submit(_queued, timeout);
        return System.Reactive.Linq.Observable.Select(all, _ => Unit.Default).ToDeferred();
    }

    private protected override bool ScriptCacheUsable => false;

    private protected override Deferred<T> Run<T>(RedisCommand<T> command)
    {
        if (_done)
        {
            throw new InvalidOperationException("This batch was already executed.");
        }

        _queued.Add(command);
        return command.Result;
    }
}
