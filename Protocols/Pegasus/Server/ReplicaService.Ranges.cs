namespace ReactiveKv.Pegasus;

internal sealed partial class ReplicaService
{
    private MultiGetResponse MultiGet(PartitionStore store, MultiGetRequest request)
    {
        if (ValueRules.Matches(request.SortKeyFilterType, [], []) is null || !RequestKeys.HashKey(request.HashKey))
        {
            return new MultiGetResponse { Error = InvalidArgument };
        }

        var maxCount = request.MaxKvCount > 0 ? Math.Min(request.MaxKvCount, options.MultiGetMaxIterationCount) : options.MultiGetMaxIterationCount;
        var maxSize = request.MaxKvSize > 0 ? Math.Min(request.MaxKvSize, options.MultiGetMaxIterationSize) : options.MultiGetMaxIterationSize;
        return request.SortKeys.Count > 0
            ? MultiGetByKeys(store, request, maxCount, maxSize)
            : MultiGetRange(store, request, maxCount, maxSize);
    }

    /// <summary>Sort-keys mode: request order, missing keys skipped, stops with kIncomplete before a record past a limit.</summary>
    private MultiGetResponse MultiGetByKeys(PartitionStore store, MultiGetRequest request, int maxCount, long maxSize)
    {
        var response = new MultiGetResponse();
        long size = 0;
        var now = Now;
        foreach (var sortKey in request.SortKeys)
        {
            if (store.Get(PegasusKey.Compose(request.HashKey, sortKey), now) is not { } record)
            {
                continue;
            }

            if (response.Kvs.Count >= maxCount || size >= maxSize)
            {
                response.Error = 7;
                break;
            }

            response.Kvs.Add(new KeyValue { Key = sortKey, Value = request.NoValue ? [] : record.Value });
            size += sortKey.Length + record.Value.Length;
        }

        return response;
    }

    /// <summary>Range mode: inclusive flags, open stop, prefix narrowing, filters, reverse reading, limits; results always ascending.</summary>
    private MultiGetResponse MultiGetRange(PartitionStore store, MultiGetRequest request, int maxCount, long maxSize)
    {
        var prefix = PegasusKey.Compose(request.HashKey, []);
        var start = PegasusKey.Compose(request.HashKey, request.StartSortKey);
        var startInclusive = request.StartInclusive;
        byte[] stop;
        var stopInclusive = request.StopInclusive;
        if (request.StopSortKey.Length == 0)
        {
            stop = PegasusKey.Next(prefix);
            stopInclusive = false;
        }
        else
        {
            stop = PegasusKey.Compose(request.HashKey, request.StopSortKey);
        }

        if (request.SortKeyFilterType == 2 && request.SortKeyFilterPattern.Length > 0)
        {
            (start, startInclusive, stop, stopInclusive) = Narrow(PegasusKey.Compose(request.HashKey, request.SortKeyFilterPattern), start, startInclusive, stop, stopInclusive);
        }

        var response = new MultiGetResponse();
        if (IsEmptyRange(start, startInclusive, stop, stopInclusive))
        {
            return response;
        }

        long size = 0;
        var visited = 0;
        var now = Now;
        using var keys = store.Range(start, startInclusive, stop, stopInclusive, request.Reverse).GetEnumerator();
        while (keys.MoveNext())
        {
            if (response.Kvs.Count >= maxCount || size >= maxSize || visited >= options.MultiGetMaxIterationCount)
            {
                response.Error = 7;
                break;
            }

            visited++;
            var key = keys.Current;
            var sortKey = key[prefix.Length..];
            if (store.Get(key, now) is not { } record || ValueRules.Matches(request.SortKeyFilterType, sortKey, request.SortKeyFilterPattern) != true)
            {
                continue;
            }

            response.Kvs.Add(new KeyValue { Key = sortKey, Value = request.NoValue ? [] : record.Value });
            size += sortKey.Length + record.Value.Length;
        }

        if (request.Reverse)
        {
            response.Kvs.Reverse();
        }

        return response;
    }

    private ScanResponse GetScanner(ServerTable table, int partition, GetScannerRequest request, object owner)
    {
        if (ValueRules.Matches(request.HashKeyFilterType, [], []) is null || ValueRules.Matches(request.SortKeyFilterType, [], []) is null ||
            !RequestKeys.Scanner(request))
        {
            return new ScanResponse { Error = InvalidArgument };
        }

        var start = request.StartKey;
        var startInclusive = request.StartInclusive;
        if (request.HashKeyFilterType == 2 && request.HashKeyFilterPattern.Length > 0)
        {
            var raised = PegasusKey.Compose(request.HashKeyFilterPattern, []);
            if (PegasusKey.Compare(raised, start) > 0)
            {
                (start, startInclusive) = (raised, true);
            }
        }

        // An empty or inverted range answers error 0, no rows, and context 0: the server leaves the default.
        if (request.StopKey.Length > 0 && IsEmptyRange(start, startInclusive, request.StopKey, request.StopInclusive))
        {
            return new ScanResponse { ContextId = 0 };
        }

        var batch = request.BatchSize <= 0 || request.BatchSize > options.MaxScanBatch ? options.MaxScanBatch : request.BatchSize;
        return Collect(table, partition, request, start, startInclusive, batch, options.MaxScanBatch, owner);
    }

    private ScanResponse Scan(long contextId, object owner)
    {
        if (!_contexts.TryGetValue(contextId, out var context))
        {
            return new ScanResponse { Error = 1, ContextId = 0 };
        }

        // A scan consumes its context; the next batch's context belongs to the connection that asked for it.
        Drop(contextId, context);
        return Collect(context.Table, context.Partition, context.Request, context.ResumeAfter, false, context.BatchSize, context.BatchSize, owner);
    }

    private ScanResponse? ClearScanner(long contextId)
    {
        if (_contexts.TryGetValue(contextId, out var context))
        {
            Drop(contextId, context);
        }

        return null;
    }

    private void Open(long id, ScanContext context)
    {
        _contexts[id] = context;

        // The timer holds only the id, never the context: an expired or dropped context must not stay reachable
        // (with its filter patterns) from the clock's queue.
        context.Expiry = clock.CallLater(options.ScanContextIdleTimeout, () => Expire(id));
    }

    private void Expire(long id)
    {
        lock (gate)
        {
            // The timer may fire on the clock's thread just as a scan takes the context; the lock settles it.
            if (_contexts.TryGetValue(id, out var context))
            {
                Drop(id, context);
            }
        }
    }

    private void Drop(long id, ScanContext context)
    {
        _contexts.Remove(id);
        if (context.Expiry is { Active: true } expiry)
        {
            try
            {
                expiry.Cancel();
            }
            catch (AlreadyCalledException)
            {
                // It fired on another thread a moment ago; its Expire finds the context gone and does nothing.
            }
        }

        context.Expiry = null;
    }

    /// <summary>One batch: up to <paramref name="batch"/> matching rows, visiting at most <paramref name="visitCap"/> records; a new context id if rows are left.</summary>
    private ScanResponse Collect(ServerTable table, int partition, GetScannerRequest request, byte[] start, bool startInclusive, int batch, int visitCap, object owner)
    {
        var store = table.Stores[partition];
        var stop = request.StopKey.Length > 0 ? request.StopKey : null;
        var response = new ScanResponse();
        var count = 0;
        var visited = 0;
        byte[]? last = null;
        var more = false;
        var now = Now;
        foreach (var key in store.Range(start, startInclusive, stop, request.StopInclusive))
        {
            if (count >= batch || visited >= visitCap)
            {
                more = true;
                break;
            }

            visited++;
            last = key;
            if (store.Get(key, now) is not { } record || !Wanted(table, partition, request, key))
            {
                continue;
            }

            count++;
            if (!request.OnlyReturnCount)
            {
                response.Kvs.Add(new KeyValue { Key = key, Value = request.NoValue ? [] : record.Value, ExpireTs = request.ReturnExpireTs ? record.ExpireTs : null });
            }
        }

        if (request.OnlyReturnCount)
        {
            response.KvCount = count;
        }

        if (more && last is not null)
        {
            response.ContextId = _nextContext++;
            Open(response.ContextId, new ScanContext(table, partition, request, last, batch, owner));
        }
        else
        {
            response.ContextId = ScanResponse.Completed;
        }

        return response;
    }

    private bool Wanted(ServerTable table, int partition, GetScannerRequest request, byte[] key)
    {
        // Stored keys are checked on the way in; one that still cannot be split is skipped rather than failing the
        // scan, so no single record can stop a partition's scanners from answering.
        if (!PegasusKey.IsWellFormed(key))
        {
            return false;
        }

        var (hashKey, sortKey) = PegasusKey.Split(key);
        if (ValueRules.Matches(request.HashKeyFilterType, hashKey, request.HashKeyFilterPattern) != true ||
            ValueRules.Matches(request.SortKeyFilterType, sortKey, request.SortKeyFilterPattern) != true)
        {
            return false;
        }

        // Only with the table env replica.split.validate_partition_hash, which the server option stands for.
        return !(options.ValidatePartitionHash && request.ValidatePartitionHash) ||
            (int)(PegasusKey.HashOfComposite(key) & (ulong)(table.PartitionCount - 1)) == partition;
    }

    private static (byte[], bool, byte[], bool) Narrow(byte[] prefix, byte[] start, bool startInclusive, byte[] stop, bool stopInclusive)
    {
        var prefixStop = PegasusKey.Next(prefix);
        if (PegasusKey.Compare(prefix, start) > 0)
        {
            (start, startInclusive) = (prefix, true);
        }

        if (PegasusKey.Compare(prefixStop, stop) <= 0)
        {
            (stop, stopInclusive) = (prefixStop, false);
        }

        return (start, startInclusive, stop, stopInclusive);
    }

    private static bool IsEmptyRange(byte[] start, bool startInclusive, byte[] stop, bool stopInclusive)
    {
        var order = PegasusKey.Compare(start, stop);
        return order > 0 || (order == 0 && !(startInclusive && stopInclusive));
    }
}
