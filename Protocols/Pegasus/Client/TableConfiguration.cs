namespace ReactiveKv.Pegasus;

/// <summary>A table's routing table as the meta server gave it: app id, partition count, and each partition's replicas.</summary>
internal sealed class TableConfiguration
{
    public TableConfiguration(string table, QueryConfigResponse response)
    {
        Table = table;
        AppId = response.AppId;
        PartitionCount = response.PartitionCount;
        Partitions = new PartitionConfiguration[PartitionCount];
        foreach (var partition in response.Partitions)
        {
            if (partition.Pid.PartitionIndex >= 0 && partition.Pid.PartitionIndex < PartitionCount)
            {
                Partitions[partition.Pid.PartitionIndex] = partition;
            }
        }
    }

    public string Table { get; }

    public int AppId { get; }

    public int PartitionCount { get; }

    public PartitionConfiguration?[] Partitions { get; }

    /// <summary>The partition for a routing hash, sent to its parent while a split child is not ready (ballot &lt; 0).</summary>
    public int PartitionOf(ulong hash)
    {
        var index = (int)(hash % (ulong)PartitionCount);
        if (Partitions[index] is { Ballot: < 0 } && PartitionCount > 1)
        {
            index -= PartitionCount / 2;
        }

        return index;
    }

    /// <summary>host:port of a partition's primary, or null when it has none right now.</summary>
    public string? Primary(int index) =>
        Partitions[index] is { } partition && RpcAddress.Decode(partition.Primary) is { } endpoint ? $"{endpoint.Address}:{endpoint.Port}" : null;

    /// <summary>host:port of a partition's secondaries.</summary>
    public IEnumerable<string> Secondaries(int index) =>
        Partitions[index]?.Secondaries.Select(RpcAddress.Decode).OfType<System.Net.IPEndPoint>().Select(e => $"{e.Address}:{e.Port}") ?? [];
}
