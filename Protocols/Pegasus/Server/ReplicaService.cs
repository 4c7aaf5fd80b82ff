using System.Reactive.Concurrency;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>
/// The replica RPCs with the C++ server's semantics (spec sections 9-11). Callers hold the server's lock. Each
/// handler returns the response struct, or null for the RPCs that are never answered. Scanner contexts belong to
/// the connection that made them and live until it closes, a scan consumes them, or they idle out on
/// <paramref name="clock"/>; the expiry timers take <paramref name="gate"/>, the server's lock.
/// </summary>
internal sealed partial class ReplicaService(PegasusServerOptions options, IScheduler clock, object gate)
{
    private readonly Dictionary<long, ScanContext> _contexts = [];
    private long _nextContext = 1;

    /// <summary>Scanner contexts held open.</summary>
    public int ContextCount => _contexts.Count;

    public static bool IsRead(string name) => name is RpcNames.Get or RpcNames.MultiGet or RpcNames.BatchGet or RpcNames.SortKeyCount
        or RpcNames.Ttl or RpcNames.GetScanner or RpcNames.Scan or RpcNames.ClearScanner;

    public static bool Knows(string name) => IsRead(name) || RpcNames.IsWrite(name);

    /// <summary>Handles one replica RPC for <paramref name="owner"/>, the connection it came on (scanner contexts it opens are its).</summary>
    public IThriftMessage? Handle(string name, ServerTable table, int partition, string server, object owner, ref ThriftReader reader)
    {
        var store = table.Stores[partition];
        ReplicaResponse? response = name switch
        {
            RpcNames.Put => Put(store, UpdateRequest.Read(ref reader)),
            RpcNames.MultiPut => MultiPut(store, MultiPutRequest.Read(ref reader)),
            RpcNames.Remove => Remove(store, reader.Blob()),
            RpcNames.MultiRemove => MultiRemove(store, MultiRemoveRequest.Read(ref reader)),
            RpcNames.Incr => Incr(store, IncrRequest.Read(ref reader)),
            RpcNames.CheckAndSet => CheckAndSet(store, CheckAndSetRequest.Read(ref reader)),
            RpcNames.CheckAndMutate => CheckAndMutate(store, CheckAndMutateRequest.Read(ref reader)),
            RpcNames.Get => Get(store, reader.Blob()),
            RpcNames.MultiGet => MultiGet(store, MultiGetRequest.Read(ref reader)),
            RpcNames.BatchGet => BatchGet(store, BatchGetRequest.Read(ref reader)),
            RpcNames.SortKeyCount => SortKeyCount(store, reader.Blob()),
            RpcNames.Ttl => Ttl(store, reader.Blob()),
            RpcNames.GetScanner => GetScanner(table, partition, GetScannerRequest.Read(ref reader), owner),
            RpcNames.Scan => Scan(ScanRequest.Read(ref reader).ContextId, owner),
            RpcNames.ClearScanner => ClearScanner(reader.I64()),
            _ => throw new InvalidOperationException($"{name} is not a replica RPC."),
        };
        if (response is null)
        {
            return null;
        }

        response.AppId = table.AppId;
        response.PartitionIndex = partition;
        response.Server = server;
        return response;
    }

    /// <summary>Frees the contexts <paramref name="owner"/> holds: a closed connection can never scan them again.</summary>
    public void DropContextsOf(object owner)
    {
        foreach (var (id, context) in _contexts.Where(c => ReferenceEquals(c.Value.Owner, owner)).ToList())
        {
            Drop(id, context);
        }
    }

    /// <summary>Frees every context, as if all had idled out.</summary>
    public void DropAllContexts()
    {
        foreach (var (id, context) in _contexts.ToList())
        {
            Drop(id, context);
        }
    }

    private int Now => PegasusEpoch.Seconds(clock.Now);

    private const int InvalidArgument = (int)RocksDbStatus.InvalidArgument;

    private static UpdateResponse Written(PartitionStore store, int error = 0) =>
        new() { Error = error, Decree = error == 0 ? ++store.Decree : store.Decree };

    private UpdateResponse? Put(PartitionStore store, UpdateRequest request)
    {
        // Server-internal translated writes carry a type and are never answered.
        if (request.Type != 0)
        {
            return null;
        }

        if (!RequestKeys.FullKey(request.Key))
        {
            return Written(store, InvalidArgument);
        }

        store.Put(request.Key, request.Value, request.ExpireTs);
        return Written(store);
    }

    private UpdateResponse MultiPut(PartitionStore store, MultiPutRequest request)
    {
        if (request.Kvs.Count == 0 || !RequestKeys.HashKey(request.HashKey))
        {
            return Written(store, InvalidArgument);
        }

        foreach (var kv in request.Kvs)
        {
            store.Put(PegasusKey.Compose(request.HashKey, kv.Key), kv.Value, request.ExpireTs);
        }

        return Written(store);
    }

    private UpdateResponse Remove(PartitionStore store, byte[] key)
    {
        if (!RequestKeys.FullKey(key))
        {
            return Written(store, InvalidArgument);
        }

        store.Remove(key);
        return Written(store);
    }

    private MultiRemoveResponse MultiRemove(PartitionStore store, MultiRemoveRequest request)
    {
        if (request.SortKeys.Count == 0 || !RequestKeys.HashKey(request.HashKey))
        {
            return new MultiRemoveResponse { Error = InvalidArgument, Decree = store.Decree };
        }

        foreach (var sortKey in request.SortKeys)
        {
            store.Remove(PegasusKey.Compose(request.HashKey, sortKey));
        }

        // The count is the number of sort keys asked for, not how many existed.
        return new MultiRemoveResponse { Count = request.SortKeys.Count, Decree = ++store.Decree };
    }

    private IncrResponse Incr(PartitionStore store, IncrRequest request)
    {
        if (!RequestKeys.FullKey(request.Key))
        {
            return new IncrResponse { Error = InvalidArgument, Decree = store.Decree };
        }

        var current = store.Get(request.Key, Now);
        long old = 0;
        if (current is { Value.Length: > 0 } record && !ValueRules.TryParseInt64(record.Value, out old))
        {
            return new IncrResponse { Error = 4, Decree = store.Decree };
        }

        long updated;
        try
        {
            updated = checked(old + request.Increment);
        }
        catch (OverflowException)
        {
            return new IncrResponse { Error = 4, NewValue = old, Decree = store.Decree };
        }

        var expire = request.ExpireTs > 0 ? request.ExpireTs : request.ExpireTs == 0 ? current?.ExpireTs ?? 0 : 0;
        store.Put(request.Key, ValueRules.Decimal(updated), expire);
        return new IncrResponse { NewValue = updated, Decree = ++store.Decree };
    }

    private CheckAndSetResponse CheckAndSet(PartitionStore store, CheckAndSetRequest request)
    {
        if (!RequestKeys.HashKey(request.HashKey))
        {
            return new CheckAndSetResponse { Error = InvalidArgument, Decree = store.Decree };
        }

        var response = Check(store, request.HashKey, request.CheckSortKey, request.CheckType, request.CheckOperand, request.ReturnCheckValue, out var passed);
        if (passed)
        {
            var sortKey = request.SetDiffSortKey ? request.SetSortKey : request.CheckSortKey;
            store.Put(PegasusKey.Compose(request.HashKey, sortKey), request.SetValue, request.SetExpireTs);
            response.Decree = ++store.Decree;
        }

        return response;
    }

    private CheckAndSetResponse CheckAndMutate(PartitionStore store, CheckAndMutateRequest request)
    {
        if (request.Mutations.Count == 0 || request.Mutations.Any(m => m.Operation is not (0 or 1)) || !RequestKeys.HashKey(request.HashKey))
        {
            return new CheckAndSetResponse { Error = InvalidArgument, Decree = store.Decree };
        }

        var response = Check(store, request.HashKey, request.CheckSortKey, request.CheckType, request.CheckOperand, request.ReturnCheckValue, out var passed);
        if (passed)
        {
            foreach (var mutation in request.Mutations)
            {
                var key = PegasusKey.Compose(request.HashKey, mutation.SortKey);
                if (mutation.Operation == 0)
                {
                    store.Put(key, mutation.Value, mutation.SetExpireTs);
                }
                else
                {
                    store.Remove(key);
                }
            }

            response.Decree = ++store.Decree;
        }

        return response;
    }

    private CheckAndSetResponse Check(PartitionStore store, byte[] hashKey, byte[] checkSortKey, int checkType, byte[] operand, bool returnValue, out bool passed)
    {
        var current = store.Get(PegasusKey.Compose(hashKey, checkSortKey), Now)?.Value;
        var result = ValueRules.Check(checkType, current, operand);
        passed = result == true;
        var response = new CheckAndSetResponse { Error = result is null ? 4 : passed ? 0 : 13, Decree = store.Decree };
        if (returnValue && result is not null)
        {
            response.CheckValueReturned = true;
            response.CheckValueExist = current is not null;
            response.CheckValue = current ?? [];
        }

        return response;
    }

    private ReadResponse Get(PartitionStore store, byte[] key) =>
        !RequestKeys.FullKey(key) ? new ReadResponse { Error = InvalidArgument }
        : store.Get(key, Now) is { } record ? new ReadResponse { Value = record.Value }
        : new ReadResponse { Error = 1 };

    private BatchGetResponse BatchGet(PartitionStore store, BatchGetRequest request)
    {
        if (request.Keys.Count == 0 || !RequestKeys.BatchGet(request))
        {
            return new BatchGetResponse { Error = InvalidArgument };
        }

        var response = new BatchGetResponse();
        foreach (var (hashKey, sortKey) in request.Keys)
        {
            if (store.Get(PegasusKey.Compose(hashKey, sortKey), Now) is { } record)
            {
                response.Data.Add((hashKey, sortKey, record.Value));
            }
        }

        return response;
    }

    private CountResponse SortKeyCount(PartitionStore store, byte[] hashKey)
    {
        if (!RequestKeys.HashKey(hashKey))
        {
            return new CountResponse { Error = InvalidArgument };
        }

        var prefix = PegasusKey.Compose(hashKey, []);
        var now = Now;
        var count = store.Range(prefix, true, PegasusKey.Next(prefix), false).Count(k => store.Get(k, now) is not null);
        return new CountResponse { Count = count };
    }

    private TtlResponse Ttl(PartitionStore store, byte[] key)
    {
        if (!RequestKeys.FullKey(key))
        {
            return new TtlResponse { Error = InvalidArgument };
        }

        var now = Now;
        return store.Get(key, now) is { } record
            ? new TtlResponse { TtlSeconds = record.ExpireTs == 0 ? -1 : record.ExpireTs - now }
            : new TtlResponse { Error = 1 };
    }
}
