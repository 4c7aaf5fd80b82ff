namespace ReactiveKv;

/// <summary>
/// Builds the exceptions a backend's requests fail with, in one place per backend (StackExchange.Redis's
/// ExceptionFactory). A message names the operation, the server and what to do. Backends override a method to
/// return their own exception type (derived from the one returned here) or to word a message for their users.
/// </summary>
public class ClientErrors
{
    /// <summary>Creates the factory for <paramref name="backend"/> ("Redis", "Kyoto Tycoon", …).</summary>
    public ClientErrors(string backend) => Backend = backend;

    /// <summary>The backend's name as messages say it.</summary>
    public string Backend { get; }

    /// <summary>No reply before the deadline. <paramref name="lastError"/> is why no connection was usable, if none was.</summary>
    public virtual Exception Timeout(ClientRequest request, string server, TimeSpan timeout, Exception? lastError) =>
        new OperationTimeoutException(
            request.Written
                ? $"{request.Operation} to {Backend} at {server} got no reply within {timeout}; it was sent and may have executed. Raise the timeout or check the server's load."
                : $"{request.Operation} to {Backend} at {server} was not sent within {timeout}: {Waiting(lastError)}.",
            request.Operation,
            timeout,
            request.Written,
            lastError);

    /// <summary>The connection went away after the request was written, before its reply.</summary>
    public virtual Exception ConnectionLost(ClientRequest request, string server, Exception reason) =>
        new ConnectionLostException(
            $"The connection to {Backend} at {server} was lost before {request.Operation} was answered ({reason.Message}); it was sent and may have executed. Retry only if it is safe to run twice.",
            true,
            reason);

    /// <summary>No connection is usable and the client fails fast, or the connection could not be made.</summary>
    public virtual Exception NotConnected(ClientRequest request, string server, Exception? lastError) =>
        new ClientConnectionException(
            $"{request.Operation} was not sent: {Backend} at {server} is not reachable ({lastError?.Message ?? "not connected"}). Check that the server runs there; the client keeps reconnecting.",
            false,
            lastError);

    /// <summary>The backlog is full.</summary>
    public virtual Exception BacklogFull(ClientRequest request, string server, int waiting, Exception? lastError) =>
        new ClientConnectionException(
            $"{request.Operation} was refused: {waiting} requests already wait to be sent to {Backend} at {server} ({Waiting(lastError)}). Slow down, or raise MaxBacklog.",
            false,
            lastError);

    /// <summary>The client was disposed before the request was sent, or while it was in flight.</summary>
    public virtual Exception Disposed(ClientRequest request, string server) =>
        new ClientConnectionException(
            $"{request.Operation} to {Backend} at {server} failed: the client was disposed{(request.Written ? " after sending it, so it may have executed" : "")}.",
            request.Written);

    /// <summary>The first connection (or the connection <c>ConnectAsync</c> awaited) could not be made.</summary>
    public virtual Exception ConnectFailed(string server, Exception reason) =>
        new ClientConnectionException($"Cannot connect to {Backend} at {server}: {reason.Message}", false, reason);

    /// <summary>The backend's handshake on a new connection failed.</summary>
    public virtual Exception HandshakeFailed(string server, Exception reason) =>
        new ClientConnectionException($"The handshake with {Backend} at {server} failed: {reason.Message}", false, reason);

    private static string Waiting(Exception? lastError) =>
        lastError is null ? "the connection is not ready yet" : $"the connection is down ({lastError.Message})";
}
