namespace ReactiveKv.Redis;

/// <summary>Where every Redis connection and timeout error is built: the shared wording, Redis's own exception types.</summary>
internal sealed class RedisErrors : ClientErrors
{
    public static readonly RedisErrors Instance = new();

    private RedisErrors()
        : base("Redis", "redis-server")
    {
    }

    protected override ClientConnectionException ConnectionError(string message, bool mayHaveExecuted, Exception? cause) =>
        new RedisConnectionException(message, mayHaveExecuted, cause);

    protected override OperationTimeoutException TimeoutError(string message, ClientRequest request, TimeSpan timeout, Exception? lastError) =>
        new RedisTimeoutException(message, request.Operation, timeout, request.Written, lastError);
}
