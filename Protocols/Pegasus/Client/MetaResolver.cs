namespace ReactiveKv.Pegasus;

/// <summary>
/// Asks the meta servers for a table's configuration the Java way: the current leader first; ERR_FORWARD_TO_OTHERS
/// switches to the leader it names (or to the next meta); a timeout or lost connection moves to the next meta;
/// ERR_SERVICE_NOT_ACTIVE waits a second and asks again. Loop thread.
/// </summary>
internal sealed class MetaResolver(PegasusClient client, IEnumerable<string> metas)
{
    private const int MaxTries = 10;
    private readonly List<string> _metas = [.. metas];
    private int _leader;

    public async Task<TableConfiguration> QueryAsync(string table)
    {
        var lastError = "";
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var meta = _metas[_leader % _metas.Count];
            var request = new QueryConfigRequest { AppName = table };
            var result = await client.Session(meta).Call(RequestHeader.Meta(client.Options.HeaderVersion), RpcNames.QueryConfig, request, client.Options.MetaTimeout, QueryConfigResponse.Read);
            if (!result.Ok)
            {
                lastError = $"{meta}: {result.Described}";
                _leader++;
                continue;
            }

            var answer = result.Response!;
            switch (answer.Err)
            {
                case DsnErrors.Ok:
                    return new TableConfiguration(table, answer);
                case DsnErrors.ForwardToOthers:
                    lastError = $"{meta}: not the leader";
                    Forward(answer);
                    continue;
                case DsnErrors.ServiceNotActive:
                    lastError = $"{meta}: not active yet";
                    await Deferred.Later(client.Loop, TimeSpan.FromSeconds(1));
                    continue;
                case DsnErrors.ObjectNotFound:
                    throw new PegasusException($"Pegasus table '{table}' does not exist (meta {meta}).", answer.Err);
                default:
                    throw new PegasusException($"Pegasus meta {meta} cannot serve table '{table}': {answer.Err}.", answer.Err);
            }
        }

        throw new PegasusException($"No Pegasus meta server answered for table '{table}' ({lastError}).", DsnErrors.SessionReset);
    }

    private void Forward(QueryConfigResponse answer)
    {
        if (answer.Partitions.Count > 0 && RpcAddress.Decode(answer.Partitions[0].Primary) is { } leader)
        {
            var address = $"{leader.Address}:{leader.Port}";
            var index = _metas.IndexOf(address);
            if (index < 0)
            {
                _metas.Add(address);
                index = _metas.Count - 1;
            }

            _leader = index;
        }
        else
        {
            _leader++;
        }
    }
}
