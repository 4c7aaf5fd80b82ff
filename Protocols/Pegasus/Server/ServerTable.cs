namespace ReactiveKv.Pegasus;

/// <summary>A table of the embedded server: its id, partitions (one store each) and which replica is each partition's primary.</summary>
internal sealed class ServerTable
{
    public ServerTable(string name, int appId, int partitions, int replicas)
    {
        Name = name;
        AppId = appId;
        Stores = [.. Enumerable.Range(0, partitions).Select(_ => new PartitionStore())];
        Primaries = [.. Enumerable.Range(0, partitions).Select(p => p % replicas)];
        Ballots = [.. Enumerable.Range(0, partitions).Select(_ => 1L)];
    }

    public string Name { get; }

    public int AppId { get; }

    public int PartitionCount => Stores.Length;

    public PartitionStore[] Stores { get; }

    public int[] Primaries { get; }

    public long[] Ballots { get; }

    public IEnumerable<int> Secondaries(int partition, int replicas) =>
        Enumerable.Range(1, Math.Max(0, replicas - 1)).Select(i => (Primaries[partition] + i) % replicas);
}
