namespace ReactiveKv.Pegasus;

/// <summary>A partition id: table (app) id and partition index. On the wire an i64 with the index in the high word.</summary>
/// <param name="AppId">The table's id.</param>
/// <param name="PartitionIndex">The partition's index.</param>
public readonly record struct Gpid(int AppId, int PartitionIndex)
{
    internal long Encode() => ((long)PartitionIndex << 32) | (uint)AppId;

    internal static Gpid Decode(long value) => new((int)(value & 0xFFFFFFFF), (int)(value >> 32));

    /// <inheritdoc />
    public override string ToString() => $"{AppId}.{PartitionIndex}";
}
