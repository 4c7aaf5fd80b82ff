namespace ReactiveKv.Pegasus;

/// <summary>The rDSN error names that matter to a client; they travel as strings, never as numbers.</summary>
internal static class DsnErrors
{
    public const string Ok = "ERR_OK";
    public const string ObjectNotFound = "ERR_OBJECT_NOT_FOUND";
    public const string InvalidState = "ERR_INVALID_STATE";
    public const string ParentPartitionMisused = "ERR_PARENT_PARTITION_MISUSED";
    public const string SessionReset = "ERR_SESSION_RESET";
    public const string Timeout = "ERR_TIMEOUT";
    public const string NotEnoughMember = "ERR_NOT_ENOUGH_MEMBER";
    public const string CapacityExceeded = "ERR_CAPACITY_EXCEEDED";
    public const string Splitting = "ERR_SPLITTING";
    public const string HandlerNotFound = "ERR_HANDLER_NOT_FOUND";
    public const string ForwardToOthers = "ERR_FORWARD_TO_OTHERS";
    public const string ServiceNotActive = "ERR_SERVICE_NOT_ACTIVE";
    public const string Busy = "ERR_BUSY";
    public const string InvalidData = "ERR_INVALID_DATA";

    /// <summary>Errors after which the routing table is stale: re-query meta, then retry.</summary>
    public static bool NeedsRefresh(string error) => error is ObjectNotFound or InvalidState or ParentPartitionMisused or SessionReset;

    /// <summary>Errors worth retrying within the deadline (after a refresh where <see cref="NeedsRefresh"/> says so).</summary>
    public static bool Retryable(string error) => NeedsRefresh(error) || error is Timeout or NotEnoughMember or CapacityExceeded or Splitting;
}
