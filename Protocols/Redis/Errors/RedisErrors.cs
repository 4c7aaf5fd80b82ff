namespace ReactiveKv.Redis;

/// <summary>Where every Redis connection and timeout error is built: Redis's own exception types, one wording.</summary>
internal sealed class RedisErrors : ClientErrors
{
    public static readonly RedisErrors Instance = new();

    private RedisErrors()
        : base("Redis")
    {
    }

    public override Exception Timeout(ClientRequest request, string server, TimeSpan timeout, Exception? lastError) =>
        new RedisTimeoutException(request.Operation, timeout, request.Written, server, lastError);

    public override Exception ConnectionLost(ClientRequest request, string server, Exception reason) =>
        new RedisConnectionException(
            $"The connection to Redis at {server} was lost before {request.Operation} was answered ({reason.Message}); it was sent and may have executed. Retry only if it is safe to run twice.",
            true,
            reason);

    public override Exception NotConnected(ClientRequest request, string server, Exception? lastError) =>
        new RedisConnectionException(
            $"{request.Operation} was not sent: Redis at {server} is not reachable ({lastError?.Message ?? "not connected"}). Check that redis-server runs there; the client keeps reconnecting.",
            false,
            lastError);

    public override Exception BacklogFull(ClientRequest request, string server, int waiting, Exception? lastError) =>
        new RedisConnectionException(
            $"{waiting} commands already wait to be sent to {server}; {request.Operation} was rejected rather than queue without bound. Slow down, or raise MaxBacklog.",
            false,
            lastError);

    public override Exception Disposed(ClientRequest request, string server) =>
        new RedisConnectionException($"The Redis client was disposed before {request.Operation} to {server} was answered.", request.Written);

    public override Exception ConnectFailed(string server, Exception reason) =>
        new RedisConnectionException($"Cannot connect to Redis at {server}: {reason.Message}", false, reason);

    public override Exception HandshakeFailed(string server, Exception reason) =>
        reason as RedisConnectionException ?? new RedisConnectionException($"The handshake with Redis at {server} failed: {reason.Message}", false, reason);
}
