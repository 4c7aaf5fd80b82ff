namespace ReactiveKv.Redis;

/// <summary>
/// The typed Redis command surface, as an interface so code can be written against it and tested with a fake:
/// <see cref="RedisCommands"/> implements it (<see cref="RedisDatabase"/>, <see cref="RedisTransaction"/>,
/// <see cref="RedisBatch"/>, <see cref="RedisLease"/>). Every method sends its command at once (or queues it, in a
/// transaction or a batch) and returns a <see cref="Deferred{T}"/>: hot, one result, awaitable. Every method takes a
/// <see cref="CancellationToken"/> last (those with a <see langword="params"/> array have an overload taking the array,
/// or any collection of pairs, and a token): cancelling it fails that call with <see cref="OperationCanceledException"/>.
/// A token cancelled already sends nothing; one cancelled later stops the wait only (the server may still run the
/// command): its reply, when it comes, is matched to the cancelled command and dropped, so the connection and every
/// other call are unaffected. A default token costs nothing.
/// </summary>
public partial interface IRedisCommands
{
    /// <summary>The database these commands run in.</summary>
    int DatabaseIndex { get; }

    /// <summary>
    /// Sends any command and returns its reply as a <see cref="RespValue"/>. Commands the library manages itself
    /// (SELECT, the SUBSCRIBE family, MULTI/EXEC/WATCH, AUTH/HELLO, MONITOR, QUIT, RESET) are refused: use
    /// <see cref="IRedisClient.Database"/>, the pub/sub, transaction and connection APIs instead.
    /// </summary>
    /// <exception cref="ArgumentException">The command is one the library manages.</exception>
    Deferred<RespValue> Execute(string command, params RedisValue[] arguments);

    /// <summary>
    /// Sends any command and returns its reply as a <see cref="RespValue"/>. Commands the library manages itself
    /// (SELECT, the SUBSCRIBE family, MULTI/EXEC/WATCH, AUTH/HELLO, MONITOR, QUIT, RESET) are refused: use
    /// <see cref="IRedisClient.Database"/>, the pub/sub, transaction and connection APIs instead.
    /// </summary>
    /// <exception cref="ArgumentException">The command is one the library manages.</exception>
    Deferred<RespValue> Execute(string command, RedisValue[] arguments, CancellationToken cancellationToken);
}
