namespace ReactiveKv.Pegasus;

public sealed partial class PegasusTable
{
    private Deferred<TResult> Run<TResponse, TResult>(string operation, byte[] hashKey, byte[] sortKey, string rpc, IThriftMessage args, ResponseDecoder<TResponse> decode, Func<TResponse, OperationContext, TResult> map, CancellationToken cancellationToken)
        where TResponse : class
    {
        var hash = PegasusKey.Hash(hashKey, sortKey);
        return _client.OnLoop(async () =>
        {
            var (response, context) = await CallAsync(operation, hashKey, sortKey, hash, null, rpc, args, decode, null);
            return map(response, context);
        }, cancellationToken);
    }

    /// <summary>
    /// Sends one request to the right primary and retries by the spec's rules until the deadline: routing errors
    /// refresh the configuration first; timeouts and busy-replica errors just retry; anything else fails at once.
    /// </summary>
    internal async Task<(TResponse Response, OperationContext Context)> CallAsync<TResponse>(
        string operation, byte[] hashKey, byte[] sortKey, ulong hash, int? partition, string rpc, IThriftMessage args, ResponseDecoder<TResponse> decode, TimeSpan? timeout)
        where TResponse : class
    {
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var done = await AttemptUntilDeadlineAsync(operation, hashKey, sortKey, hash, partition, rpc, args, decode, timeout);

            // Not found, incomplete and a failed check are answers; other RocksDB statuses are failures.
            var failed = done.Response is ReplicaResponse { Error: not (0 or 1 or 7 or 13) };
            PegasusMetrics.Record(Name, operation, failed ? "error" : "ok", startedAt);
            return done;
        }
        catch (PegasusTimeoutException)
        {
            PegasusMetrics.Record(Name, operation, "timeout", startedAt);
            throw;
        }
        catch (PegasusException)
        {
            PegasusMetrics.Record(Name, operation, "error", startedAt);
            throw;
        }
    }

    private async Task<(TResponse Response, OperationContext Context)> AttemptUntilDeadlineAsync<TResponse>(
        string operation, byte[] hashKey, byte[] sortKey, ulong hash, int? partition, string rpc, IThriftMessage args, ResponseDecoder<TResponse> decode, TimeSpan? timeout)
        where TResponse : class
    {
        var deadline = Loop.Now + (timeout ?? Options.OperationTimeout);
        for (var attempt = 0; ; attempt++)
        {
            var configuration = _configuration;
            var index = partition ?? configuration.PartitionOf(hash);
            var context = new OperationContext(Name, operation, new Gpid(configuration.AppId, index), configuration.Primary(index) ?? "(no primary)", Describe(hashKey, sortKey));
            var remaining = deadline - Loop.Now;
            var error = DsnErrors.InvalidState;
            if (remaining <= TimeSpan.Zero)
            {
                throw context.Timeout(attempt, timeout ?? Options.OperationTimeout);
            }

            if (configuration.Primary(index) is { } primary)
            {
                var header = new RequestHeader(Options.HeaderVersion, configuration.AppId, index, (int)remaining.TotalMilliseconds, hash, false);
                var result = await SendAsync(configuration, index, primary, header, rpc, args, decode, remaining);
                if (result.Ok)
                {
                    return (result.Response!, context);
                }

                error = result.Error;
            }

            if (!DsnErrors.Retryable(error))
            {
                throw context.Rpc(error);
            }

            if (Loop.Now >= deadline)
            {
                throw error == DsnErrors.Timeout ? context.Timeout(attempt + 1, timeout ?? Options.OperationTimeout) : context.Rpc(error);
            }

            PegasusMetrics.Retries.Add(1, new System.Diagnostics.TagList { { "table", Name }, { "operation", operation }, { "error", error } });
            if (DsnErrors.NeedsRefresh(error))
            {
                await RefreshAsync();
            }

            var pause = Options.RetryPolicy.Delay(attempt);
            var left = deadline - Loop.Now;
            await Deferred.Later(Loop, pause < left ? pause : left);
        }
    }

    /// <summary>
    /// One attempt at the primary; for backup-capable reads with a backup delay configured, a copy goes to a random
    /// secondary if the primary has not answered by then, and the first good answer wins.
    /// </summary>
    private async Task<RpcResult<TResponse>> SendAsync<TResponse>(TableConfiguration configuration, int index, string primary, RequestHeader header, string rpc, IThriftMessage args, ResponseDecoder<TResponse> decode, TimeSpan remaining)
        where TResponse : class
    {
        var first = _client.Session(primary).Call(header, rpc, args, remaining, decode);
        var secondaries = configuration.Secondaries(index).ToList();
        if (Options.BackupRequestDelay is not { } delay || rpc is not (RpcNames.Get or RpcNames.Ttl or RpcNames.MultiGet) || secondaries.Count == 0 || delay >= remaining)
        {
            return await first;
        }

        var backup = new Deferred<RpcResult<TResponse>>();
        var timer = Loop.CallLater(delay, () =>
        {
            PegasusMetrics.BackupRequests.Add(1, new System.Diagnostics.TagList { { "table", Name } });
            var secondary = secondaries[Random.Shared.Next(secondaries.Count)];
            var backupHeader = header with { Version = 1, IsBackupRequest = true, ClientTimeoutMs = (int)(remaining - delay).TotalMilliseconds };
            _client.Session(secondary).Call(backupHeader, rpc, args, remaining - delay, decode).Subscribe(r => backup.TryCallback(r));
        });
        first.Subscribe(r =>
        {
            if (timer.Active)
            {
                timer.Cancel();
            }

            if (r.Ok || !backup.Called)
            {
                backup.TryCallback(r);
            }
        });
        var winner = await backup;
        return winner.Ok ? winner : await first;
    }

    /// <summary>Re-queries the meta servers, at most once per refresh interval; concurrent callers share one query.</summary>
    private async Task RefreshAsync()
    {
        if (_refreshing is { } running)
        {
            await running;
            return;
        }

        if (Loop.Now - _lastRefresh < Options.RefreshInterval)
        {
            return;
        }

        var query = QueryAndSwapAsync();
        _refreshing = query;
        try
        {
            await query;
        }
        finally
        {
            _refreshing = null;
        }
    }

    private async Task QueryAndSwapAsync()
    {
        _lastRefresh = Loop.Now;
        try
        {
            var fresh = await _client.QueryAsync(Name);
            var old = _configuration;

            // As Java: the same table, and a partition count that is equal, doubled (split) or halved.
            if (fresh.AppId == old.AppId && (fresh.PartitionCount == old.PartitionCount || fresh.PartitionCount == old.PartitionCount * 2 || fresh.PartitionCount * 2 == old.PartitionCount))
            {
                _configuration = fresh;
            }
        }
        catch (PegasusException)
        {
            // Keep the old routing table; the operation's own retry loop decides when to give up.
        }
    }

    /// <summary>What an operation was doing, for error messages that say where it failed.</summary>
    internal readonly record struct OperationContext(string Table, string Operation, Gpid Gpid, string Server, string Key)
    {
        public PegasusException Status(int status) => new(
            $"Pegasus {Operation} on table '{Table}' (partition {Gpid}, server {Server}, key {Key}) failed with RocksDB status {(RocksDbStatus)status} ({status}).",
            DsnErrors.Ok,
            (RocksDbStatus)status);

        public PegasusException Rpc(string error) => new(
            $"Pegasus {Operation} on table '{Table}' (partition {Gpid}, server {Server}, key {Key}) failed with {error}.",
            error);

        public PegasusTimeoutException Timeout(int attempts, TimeSpan limit) => new(
            $"Pegasus {Operation} on table '{Table}' (partition {Gpid}, server {Server}, key {Key}) timed out after {attempts} attempt(s) within {limit}; a write may still have been applied. Raise OperationTimeout or check the replica's load.",
            Operation,
            limit);
    }
}
