namespace ReactiveKv.Pegasus;

/// <summary>What a THFT request header says besides lengths: the target partition, the routing hash, the timeout and (v1) the backup flag.</summary>
internal readonly record struct RequestHeader(int Version, int AppId, int PartitionIndex, int ClientTimeoutMs, ulong PartitionHash, bool IsBackupRequest)
{
    public const int V0Length = 48;
    public const int V1FixedLength = 16;

    public static RequestHeader Meta(int version) => new(version, 0, 0, 0, 0, false);

    public Gpid Gpid => new(AppId, PartitionIndex);
}
