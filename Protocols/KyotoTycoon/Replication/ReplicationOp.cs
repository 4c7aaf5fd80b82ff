namespace ReactiveKv.KyotoTycoon;

/// <summary>What a replication log record does.</summary>
public enum ReplicationOp : byte
{
    /// <summary>A record was stored (0xA1).</summary>
    Set = 0xA1,

    /// <summary>A record was removed (0xA2).</summary>
    Remove = 0xA2,

    /// <summary>The database was cleared (0xA5).</summary>
    Clear = 0xA5,
}
