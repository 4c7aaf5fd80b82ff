namespace ReactiveKv.Keyspace;

/// <summary>What a node's <see cref="KeyspaceProtocol"/> tells the client about masters and calls to send again. Loop thread.</summary>
internal interface IKeyspaceRouter
{
    /// <summary>Node <paramref name="node"/> answered get-master: the master it believes in, or null (<c>n</c>).</summary>
    void MasterReported(int node, int? master);

    /// <summary>Node <paramref name="node"/> answered a master-only call with <c>o</c>: it is master (§10.3).</summary>
    void ServedAsMaster(int node);

    /// <summary>Node <paramref name="node"/> answered <c>n</c> to a call: it lost the lease.</summary>
    void LostLease(int node);

    /// <summary>Node <paramref name="node"/>'s connection is gone; <paramref name="rejected"/> when it closed right after an <c>f</c> (§8.3).</summary>
    void NodeLost(int node, bool rejected);

    /// <summary>Sends <paramref name="call"/> again wherever it belongs now; it provably did not execute, or is a read.</summary>
    void Retry(KeyspaceCall call, int node, KeyspaceRetryReason reason);
}
