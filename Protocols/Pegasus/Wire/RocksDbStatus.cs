namespace ReactiveKv.Pegasus;

/// <summary>RocksDB status codes, as replica responses carry them in their <c>error</c> field.</summary>
public enum RocksDbStatus
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>Missing or expired record; unknown scan context.</summary>
    NotFound = 1,

    /// <summary>Storage corruption.</summary>
    Corruption = 2,

    /// <summary>Not supported.</summary>
    NotSupported = 3,

    /// <summary>Bad argument: filter type, empty batch, non-integer value for incr, incr overflow.</summary>
    InvalidArgument = 4,

    /// <summary>Storage I/O error.</summary>
    IOError = 5,

    /// <summary>Merge in progress.</summary>
    MergeInProgress = 6,

    /// <summary>Stopped by a limit with data left (multi_get), or the scan time cap.</summary>
    Incomplete = 7,

    /// <summary>Shutting down.</summary>
    ShutdownInProgress = 8,

    /// <summary>Timed out.</summary>
    TimedOut = 9,

    /// <summary>Aborted.</summary>
    Aborted = 10,

    /// <summary>Busy.</summary>
    Busy = 11,

    /// <summary>Expired.</summary>
    Expired = 12,

    /// <summary>A check_and_set / check_and_mutate check did not pass.</summary>
    TryAgain = 13,
}
