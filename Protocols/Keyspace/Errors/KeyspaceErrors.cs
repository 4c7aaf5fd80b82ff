namespace ReactiveKv.Keyspace;

/// <summary>Every message the Keyspace client fails a call with, worded once; the exception types are Keyspace's own.</summary>
internal sealed class KeyspaceErrors : ClientErrors
{
    public static readonly KeyspaceErrors Instance = new();

    private KeyspaceErrors()
        : base("Keyspace", "keyspaced")
    {
    }

    /// <summary>The server answered FAILED to a call whose failure has no value of its own.</summary>
    public KeyspaceException Failed(string operation, string server, string likelyCause) =>
        new($"{operation} failed on Keyspace at {server}: the server answered FAILED ({likelyCause}).", operation);

    /// <summary>A field over the server's limit, refused before sending.</summary>
    public KeyspaceBadCallException TooLong(string operation, string field, int length, int limit) =>
        new($"{operation} was not sent: its {field} is {length} bytes, above Keyspace's limit of {limit} (the server would close the connection).");

    /// <summary>A batch used against the reference library's rules.</summary>
    public KeyspaceBadCallException BadBatch(string why) => new($"Keyspace batch misuse: {why}.");

    /// <summary>A listing or count with a negative limit or offset.</summary>
    public KeyspaceBadCallException BadRange(string operation) => new($"{operation} was not sent: its limit and offset cannot be negative.");

    /// <summary>No master was confirmed within the master timeout.</summary>
    public KeyspaceNoMasterException NoMaster(string operation, TimeSpan timeout, bool anyNodeConnected, string nodes) =>
        new(
            anyNodeConnected
                ? $"{operation} was not sent: no Keyspace node of {nodes} confirmed itself master within {timeout.TotalSeconds:0.###} s. An election takes 7-8 s after a master is lost; a majority of nodes must be up. Check the node list is in paxos.endpoints order."
                : $"{operation} was not sent: no Keyspace node of {nodes} could be reached within {timeout.TotalSeconds:0.###} s. Check that keyspaced runs there.",
            operation,
            timeout,
            anyNodeConnected);

    /// <summary>The call's global deadline passed while it waited for a master or before a retry.</summary>
    public Exception Expired(KeyspaceCall call, string server, TimeSpan timeout) => Timeout(call, server, timeout, null);

    /// <summary>A call made while the reactor is not running.</summary>
    public ReactorNotRunningException NotRunning(KeyspaceCall call) =>
        new($"Cannot send {call.Operation} to Keyspace: the reactor is not running. Start it first (reactor.Start(), Reactor.React or AddReactor in a host).");

    /// <summary>A write was on a connection the master closed after rejecting another call: it may have been applied.</summary>
    public Exception LostWithRejection(KeyspaceCall call, string server) =>
        ConnectionError($"{call.Operation} to Keyspace at {server} was cut off: the node rejected a call it could not serve as master and closed the connection while this write was waiting for its round; it may have executed. Retry only if it is safe to run twice.", true, null);

    /// <inheritdoc />
    protected override ClientConnectionException ConnectionError(string message, bool mayHaveExecuted, Exception? cause) =>
        new KeyspaceConnectionException(message, mayHaveExecuted, cause);

    /// <inheritdoc />
    protected override OperationTimeoutException TimeoutError(string message, ClientRequest request, TimeSpan timeout, Exception? lastError) =>
        new KeyspaceTimeoutException(message, request.Operation, timeout, request.Written, lastError);
}
