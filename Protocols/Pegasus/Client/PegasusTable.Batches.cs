using System.Reactive;

namespace ReactiveKv.Pegasus;

public sealed partial class PegasusTable
{
    /// <inheritdoc />
    public Deferred<CheckAndSetResult> CheckAndMutate(byte[] hashKey, byte[] checkSortKey, CheckType checkType, byte[] checkOperand, IReadOnlyList<PegasusMutation> mutations, bool returnCheckValue = false, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, checkSortKey);
        if (mutations.Count == 0)
        {
            throw new ArgumentException("check_and_mutate needs at least one mutation.", nameof(mutations));
        }

        // As Java: every expiry computed from one "now", when the request is built.
        var now = Loop.Now;
        var request = new CheckAndMutateRequest
        {
            HashKey = hashKey,
            CheckSortKey = checkSortKey,
            CheckType = (int)checkType,
            CheckOperand = checkOperand,
            ReturnCheckValue = returnCheckValue,
            Mutations = [.. mutations.Select(m => new MutateOperation
            {
                Operation = m.IsDelete ? 1 : 0,
                SortKey = m.SortKey,
                Value = m.Value,
                SetExpireTs = m.Ttl is { } ttl && ttl > TimeSpan.Zero ? PegasusEpoch.ExpireAt(now, ttl) : 0,
            })],
        };
        return Run("check_and_mutate", hashKey, checkSortKey, RpcNames.CheckAndMutate, request, CheckAndSetResponse.Read, (r, c) => r.Error switch
        {
            0 or 13 => new CheckAndSetResult(r.Error == 0, r.CheckValueReturned, r.CheckValueExist, r.CheckValueReturned && r.CheckValueExist ? r.CheckValue : null),
            _ => throw c.Status(r.Error),
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<IReadOnlyList<byte[]?>> BatchGet(IReadOnlyList<PegasusKeyPair> keys, CancellationToken cancellationToken = default) => _client.OnLoop(async () =>
    {
        var gets = keys.Select(k => Get(k.HashKey, k.SortKey)).ToList();
        var values = new byte[]?[gets.Count];
        for (var i = 0; i < gets.Count; i++)
        {
            values[i] = await gets[i];
        }

        return (IReadOnlyList<byte[]?>)values;
    }, cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyList<byte[]?>> BatchGetByPartitions(IReadOnlyList<PegasusKeyPair> keys, CancellationToken cancellationToken = default)
    {
        foreach (var key in keys)
        {
            Validate(key.HashKey, key.SortKey);
        }

        return _client.OnLoop(async () =>
        {
            var configuration = _configuration;
            var groups = keys.Select((key, index) => (key, index, hash: PegasusKey.Hash(key.HashKey, key.SortKey)))
                .GroupBy(k => configuration.PartitionOf(k.hash))
                .Select(group => (Items: group.ToList(), Call: CallAsync("batch_get", group.First().key.HashKey, group.First().key.SortKey, group.First().hash, group.Key,
                    RpcNames.BatchGet, new BatchGetRequest { Keys = [.. group.Select(g => (g.key.HashKey, g.key.SortKey))] }, BatchGetResponse.Read, null)))
                .ToList();
            var values = new byte[]?[keys.Count];
            foreach (var (items, call) in groups)
            {
                var (response, context) = await call;
                if (response.Error != 0)
                {
                    throw context.Status(response.Error);
                }

                var found = response.Data.ToDictionary(d => PegasusKey.Compose(d.HashKey, d.SortKey), d => d.Value, ByteArrayComparer.Instance);
                foreach (var (key, index, _) in items)
                {
                    values[index] = found.GetValueOrDefault(PegasusKey.Compose(key.HashKey, key.SortKey));
                }
            }

            return (IReadOnlyList<byte[]?>)values;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<IReadOnlyList<Exception?>> BatchSet(IReadOnlyList<PegasusRecord> records, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        Settle([.. records.Select(r => Set(r.HashKey, r.SortKey, r.Value, ttl, cancellationToken))], cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyList<Exception?>> BatchDel(IReadOnlyList<PegasusKeyPair> keys, CancellationToken cancellationToken = default) =>
        Settle([.. keys.Select(k => Remove(k.HashKey, k.SortKey, cancellationToken))], cancellationToken);

    /// <inheritdoc />
    public Deferred<long> DelRange(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, MultiGetOptions? options = null, int batchSize = 100, CancellationToken cancellationToken = default) =>
        _client.OnLoop(async () =>
        {
            options = (options ?? new MultiGetOptions()) with { NoValue = true, Reverse = false };
            long removed = 0;
            var start = startSortKey;
            while (true)
            {
                var page = await MultiGet(hashKey, start, stopSortKey, options, batchSize, 0);
                if (page.Values.Count == 0)
                {
                    return removed;
                }

                removed += await MultiDel(hashKey, [.. page.Values.Select(v => v.Key)]);
                if (page.AllFetched)
                {
                    return removed;
                }

                start = page.Values[^1].Key;
                options = options with { StartInclusive = false };
            }
        }, cancellationToken);

    private Deferred<IReadOnlyList<Exception?>> Settle(List<Deferred<Unit>> operations, CancellationToken cancellationToken) => _client.OnLoop(async () =>
    {
        var errors = new Exception?[operations.Count];
        for (var i = 0; i < operations.Count; i++)
        {
            try
            {
                await operations[i];
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        }

        return (IReadOnlyList<Exception?>)errors;
    }, cancellationToken);
}
