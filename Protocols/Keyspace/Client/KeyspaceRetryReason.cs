namespace ReactiveKv.Keyspace;

/// <summary>Why the client sent a call again on its own.</summary>
public enum KeyspaceRetryReason
{
    /// <summary>The node was no longer master: it answered <c>f</c> and closed (spec §8.3); the call did not execute.</summary>
    Rejected,

    /// <summary>The node lost its lease with the write queued and answered <c>n</c> (spec §5); the write was not applied.</summary>
    NotMaster,

    /// <summary>The connection was lost with a read in flight; a read can always run again.</summary>
    ConnectionLost,
}
