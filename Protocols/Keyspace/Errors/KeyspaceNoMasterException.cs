namespace ReactiveKv.Keyspace;

/// <summary>
/// A call that needs the master waited longer than the master timeout without any node confirming itself master
/// (the reference library's MASTER_TIMEOUT, -301, with connectivity NOMASTER or NOCONNECTION). It was never sent to
/// a master, so it did not execute.
/// </summary>
public sealed class KeyspaceNoMasterException : ReactorTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public KeyspaceNoMasterException(string message, string operation, TimeSpan timeout, bool anyNodeConnected)
        : base(message, timeout)
    {
        Operation = operation;
        AnyNodeConnected = anyNodeConnected;
    }

    /// <summary>The call that waited.</summary>
    public string Operation { get; }

    /// <summary>True when some node was connected but none was master (NOMASTER); false when none was (NOCONNECTION).</summary>
    public bool AnyNodeConnected { get; }
}
