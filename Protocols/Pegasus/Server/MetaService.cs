using System.Net;

namespace ReactiveKv.Pegasus;

/// <summary>The meta server's one client RPC: a table's partition configuration, or a forward to the leader.</summary>
internal static class MetaService
{
    public static QueryConfigResponse Answer(QueryConfigRequest request, ServerTable? table, bool leader, IPEndPoint leaderAddress, IReadOnlyList<IPEndPoint> replicas, bool hostPortFields)
    {
        if (!leader)
        {
            var forward = new PartitionConfiguration { Primary = RpcAddress.Encode(leaderAddress) };
            if (hostPortFields)
            {
                forward.HpPrimary = HostPort.From(forward.Primary);
            }

            return new QueryConfigResponse { Err = DsnErrors.ForwardToOthers, Partitions = [forward] };
        }

        if (table is null)
        {
            return new QueryConfigResponse { Err = DsnErrors.ObjectNotFound };
        }

        var wanted = request.PartitionIndices.Where(i => i >= 0 && i < table.PartitionCount).ToList();
        var indices = wanted.Count > 0 ? wanted : [.. Enumerable.Range(0, table.PartitionCount)];
        var response = new QueryConfigResponse { AppId = table.AppId, PartitionCount = table.PartitionCount, IsStateful = true };
        foreach (var index in indices)
        {
            var partition = new PartitionConfiguration
            {
                Pid = new Gpid(table.AppId, index),
                Ballot = table.Ballots[index],
                MaxReplicaCount = replicas.Count,
                Primary = RpcAddress.Encode(replicas[table.Primaries[index]]),
                Secondaries = [.. table.Secondaries(index, replicas.Count).Select(r => RpcAddress.Encode(replicas[r]))],
            };
            if (hostPortFields)
            {
                partition.HpPrimary = HostPort.From(partition.Primary);
                partition.HpSecondaries = [.. partition.Secondaries.Select(HostPort.From)];
                partition.HpLastDrops = [];
            }

            response.Partitions.Add(partition);
        }

        return response;
    }
}
