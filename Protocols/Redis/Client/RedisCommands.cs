namespace ReactiveKv.Redis;

/// <summary>
/// The typed Redis command surface. Every method sends its command at once (or queues it, in a transaction or a
/// batch) and returns a <see cref="Deferred{T}"/>: hot, one result, kept for late subscribers, awaitable, and
/// cancellable (<see cref="Deferred{T}.Cancel"/> or <see cref="Deferred{T}.WithCancellation"/>). The same surface
/// runs on the shared connection (<see cref="RedisDatabase"/>), in <see cref="RedisTransaction"/>,
/// <see cref="RedisBatch"/> and on a leased dedicated connection (<see cref="RedisLease"/>).
/// </summary>
public abstract partial class RedisCommands
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "MONITOR", "QUIT", "RESET", "HELLO", "AUTH",
    };

    private protected RedisCommands(int database) => DatabaseIndex = database;

    /// <summary>The database these commands run in.</summary>
    public int DatabaseIndex { get; }

    /// <summary>
    /// Sends any command and returns its reply as a <see cref="RespValue"/>. Commands the library manages itself
    /// (SELECT, the SUBSCRIBE family, MULTI/EXEC/WATCH, AUTH/HELLO, MONITOR, QUIT, RESET) are refused: use
    /// <see cref="RedisClient.Database"/>, the pub/sub, transaction and connection APIs instead.
    /// </summary>
    /// <exception cref="ArgumentException">The command is one the library manages.</exception>
    public Deferred<RespValue> Execute(string command, params RedisValue[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (Reserved.Contains(command))
        {
            throw new ArgumentException($"{command.ToUpperInvariant()} is managed by the client and cannot be sent with Execute.", nameof(command));
        }

        return Run(command.ToUpperInvariant(), Replies.Any, arguments);
    }

    private protected abstract Deferred<T> Run<T>(RedisCommand<T> command);

    private protected Deferred<T> Run<T>(string name, ReplyProcessor<T> processor, params RedisValue[] arguments) =>
        Run(new RedisCommand<T>(name, DatabaseIndex, arguments, processor));

    private static RedisValue[] Args(RedisValue first, IEnumerable<RedisValue> rest) => [first, .. rest];

    private static RedisValue[] Args(RedisValue first, RedisValue second, IEnumerable<RedisValue> rest) => [first, second, .. rest];
}
