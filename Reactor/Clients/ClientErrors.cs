namespace ReactiveKv;

/// <summary>
/// Builds the exceptions a backend's requests fail with, in one place per backend (StackExchange.Redis's
/// ExceptionFactory). A message names the operation, the server and what to do. A backend that has its own exception
/// types overrides <see cref="ConnectionError"/> and <see cref="TimeoutError"/>; the wording stays here.
/// </summary>
public class ClientErrors
{
    /// <summary>Creates the factory for <paramref name="backend"/> ("Redis", …), whose server program is <paramref name="serverProgram"/> ("redis-server").</summary>
    public ClientErrors(string backend, string? serverProgram = null)
    {
        Backend = backend;
        ServerProgram = serverProgram ?? "the server";
    }

    /// <summary>The backend's name as messages say it.</summary>
    public string Backend { get; }

    /// <summary>The server program as hints name it.</summary>
    public string ServerProgram { get; }

    /// <summary>No reply before the deadline. <paramref name="lastError"/> is why no connection was usable, if none was.</summary>
    public Exception Timeout(ClientRequest request, string server, TimeSpan timeout, Exception? lastError) =>
        TimeoutError(
            request.Written
                ? $"{request.Operation} to {Backend} at {server} got no reply within {Describe(timeout)}; it was sent and may have executed. Raise the timeout or check the server's load."
                : $"{request.Operation} to {Backend} at {server} was not sent within {Describe(timeout)}: {Waiting(lastError)}.",
            request,
            timeout,
            lastError);

    /// <summary>The connection went away after the request was written, before its reply.</summary>
    public Exception ConnectionLost(ClientRequest request, string server, Exception reason) =>
        reason is ProtocolErrorException
            ? ConnectionError($"{Backend} at {server} sent a malformed reply while {request.Operation} was outstanding ({reason.Message}); the connection was closed, and the request was sent and may have executed.", true, reason)
            : ConnectionError($"The connection to {Backend} at {server} was lost before {request.Operation} was answered ({reason.Message}); it was sent and may have executed. Retry only if it is safe to run twice.", true, reason);

    /// <summary>No connection is usable and the client fails fast.</summary>
    public Exception NotConnected(ClientRequest request, string server, Exception? lastError) =>
        ConnectionError($"{request.Operation} was not sent: {Backend} at {server} is not reachable ({lastError?.Message ?? "not connected"}). {Hint(lastError)}; the client keeps reconnecting.", false, lastError);

    /// <summary>The backlog is full.</summary>
    public Exception BacklogFull(ClientRequest request, string server, int waiting, Exception? lastError) =>
        ConnectionError($"{request.Operation} was refused: {waiting} requests already wait to be sent to {Backend} at {server} ({Waiting(lastError)}). Slow down, or raise MaxBacklog.", false, lastError);

    /// <summary>The client was disposed before the request was answered.</summary>
    public Exception Disposed(ClientRequest request, string server) =>
        ConnectionError($"{request.Operation} to {Backend} at {server} failed: the {Backend} client was disposed{(request.Written ? " after sending it, so it may have executed" : " before sending it")}.", request.Written, null);

    /// <summary>A connection (the first, or the one <c>ConnectAsync</c> awaited) could not be made.</summary>
    public Exception ConnectFailed(string server, Exception reason) =>
        ConnectionError($"Cannot connect to {Backend} at {server}: {reason.Message}. {Hint(reason)}.", false, reason);

    /// <summary>The backend's handshake on a new connection failed.</summary>
    public Exception HandshakeFailed(string server, Exception reason) =>
        reason is ClientConnectionException ? reason : ConnectionError($"The handshake with {Backend} at {server} failed: {reason.Message}", false, reason);

    /// <summary>Makes the backend's connection exception.</summary>
    protected virtual ClientConnectionException ConnectionError(string message, bool mayHaveExecuted, Exception? cause) =>
        mayHaveExecuted && cause is not null ? new ConnectionLostException(message, true, cause) : new ClientConnectionException(message, mayHaveExecuted, cause);

    /// <summary>Makes the backend's timeout exception.</summary>
    protected virtual OperationTimeoutException TimeoutError(string message, ClientRequest request, TimeSpan timeout, Exception? lastError) =>
        new(message, request.Operation, timeout, request.Written, lastError);

    // A TLS failure means the server answered: pointing at the certificate helps more than "is it running?".
    private string Hint(Exception? reason)
    {
        for (var e = reason; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return "The server answered but TLS failed: check that its certificate is trusted here and names the host connected to (or the TLS options' validation callback)";
            }
        }

        return $"Check that {ServerProgram} runs there";
    }

    private static string Describe(TimeSpan timeout) =>
        timeout < TimeSpan.FromSeconds(1) ? $"{timeout.TotalMilliseconds:0} ms" : $"{timeout.TotalSeconds:0.###} s";

    private static string Waiting(Exception? lastError) =>
        lastError is null ? "the connection is not ready yet" : $"the connection is down ({lastError.Message})";
}
