namespace ReactiveKv.Redis;

/// <summary>
/// Commands collected client-side and sent together later (the base of <see cref="RedisTransaction"/> and
/// <see cref="RedisBatch"/>): each call returns its Deferred at once, and nothing reaches the server until sent.
/// </summary>
public abstract class RedisQueuedCommands : RedisCommands
{
    private readonly List<RedisCommand> _queued = [];

    private protected RedisQueuedCommands(int database)
        : base(database)
    {
    }

    /// <summary>Commands queued so far.</summary>
    public int Count => _queued.Count;

    /// <summary>True once the commands were sent or dropped; no more can be queued.</summary>
    public bool Done { get; private set; }

    // A NOSCRIPT answer inside a group cannot be retried, so EVAL is sent directly.
    private protected override bool ScriptCacheUsable => false;

    /// <summary>Ends queuing and hands over the commands; throws when already done.</summary>
    private protected IReadOnlyList<RedisCommand> Take()
    {
        ThrowIfDone();
        Done = true;
        return _queued;
    }

    /// <summary>Ends queuing without sending; each queued command fails with <paramref name="reason"/>.</summary>
    private protected void Drop(Exception reason)
    {
        if (Done)
        {
            return;
        }

        Done = true;
        foreach (var command in _queued)
        {
            command.Fail(reason);
        }
    }

    private protected override Deferred<T> Run<T>(RedisCommand<T> command)
    {
        ThrowIfDone();
        _queued.Add(command);
        return command.Result;
    }

    private void ThrowIfDone()
    {
        if (Done)
        {
            throw new InvalidOperationException($"This {GetType().Name} was already executed or disposed.");
        }
    }
}
