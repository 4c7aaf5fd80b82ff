namespace ReactiveKv.Redis;

/// <summary>
/// The typed Redis command surface. Every method sends its command at once (or queues it, in a transaction or a
/// batch) and returns a <see cref="Deferred{T}"/>: hot, one result, kept for late subscribers, awaitable, and
/// cancellable (<see cref="Deferred{T}.Cancel"/> or <see cref="Deferred{T}.WithCancellation"/>). The same surface
/// runs on the shared connection (<see cref="RedisDatabase"/>), in <see cref="RedisTransaction"/>,
/// <see cref="RedisBatch"/> and on a leased dedicated connection (<see cref="RedisLease"/>).
/// </summary>
public abstract partial class RedisCommands : IRedisCommands
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "MONITOR", "QUIT", "RESET", "HELLO", "AUTH",
    };

    private protected RedisCommands(int database) => DatabaseIndex = database;

    /// <inheritdoc/>
    public int DatabaseIndex { get; }

    /// <inheritdoc/>
    public Deferred<RespValue> Execute(string command, params RedisValue[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (Reserved.Contains(command))
        {
            throw new ArgumentException($"{command.ToUpperInvariant()} is managed by the client and cannot be sent with Execute.", nameof(command));
        }

        return Run(command.ToUpperInvariant(), Replies.Any, arguments);
    }

    /// <inheritdoc/>
    public Deferred<RespValue> Execute(string command, RedisValue[] arguments, CancellationToken cancellationToken) =>
        Canceled<RespValue>(cancellationToken) ?? Execute(command, arguments).WithCancellation(cancellationToken);

    private protected abstract Deferred<T> Run<T>(RedisCommand<T> command);

    /// <summary>
    /// A failed result when <paramref name="cancellationToken"/> is cancelled already, so the command is not sent at
    /// all; null otherwise (the common case: one check, no allocation).
    /// </summary>
    private protected static Deferred<T>? Canceled<T>(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Deferred.Fail<T>(new OperationCanceledException("The operation was cancelled.", cancellationToken)) : null;

    private protected Deferred<T> Run<T>(string name, ReplyProcessor<T> processor, params RedisValue[] arguments) =>
        Run(new RedisCommand<T>(name, DatabaseIndex, arguments, processor));

    // A token already cancelled sends nothing; one cancelled later fails the call, and its reply is dropped when it comes.
    private protected Deferred<T> Run<T>(string name, ReplyProcessor<T> processor, CancellationToken cancellationToken, params RedisValue[] arguments) =>
        Canceled<T>(cancellationToken) ?? Run(name, processor, arguments).WithCancellation(cancellationToken);

    private static RedisValue[] Args(RedisValue first, IEnumerable<RedisValue> rest) => [first, .. rest];

    private static RedisValue[] Args(RedisValue first, RedisValue second, IEnumerable<RedisValue> rest) => [first, second, .. rest];
}
