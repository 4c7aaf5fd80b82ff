using System.Reactive.Linq;

namespace ReactiveKv.Pegasus;

public sealed partial class PegasusTable
{
    /// <inheritdoc />
    public IObservable<PegasusRecord> GetScanner(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, ScanOptions? options = null)
    {
        Validate(hashKey, []);
        options ??= new ScanOptions();
        var (start, stop, stopInclusive, empty) = OrderedRange(hashKey, startSortKey, stopSortKey, options);
        var hash = PegasusKey.Hash(hashKey, []);
        var effective = options with { StopInclusive = stopInclusive };
        return empty
            ? Observable.Empty<PegasusRecord>()
            : Scan(() => new PegasusScanner(this, [_configuration.PartitionOf(hash)], start, stop, effective, hash));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<PegasusRecord> GetScannerAsync(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, ScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, []);
        options ??= new ScanOptions();
        var (start, stop, stopInclusive, empty) = OrderedRange(hashKey, startSortKey, stopSortKey, options);
        var hash = PegasusKey.Hash(hashKey, []);
        var effective = options with { StopInclusive = stopInclusive };
        return empty ? AsyncEnumerable.Empty<PegasusRecord>() : Pull(() => new PegasusScanner(this, [_configuration.PartitionOf(hash)], start, stop, effective, hash), cancellationToken);
    }

    /// <inheritdoc />
    public IReadOnlyList<IObservable<PegasusRecord>> GetUnorderedScanners(int maxSplit, ScanOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSplit, 1);
        options ??= new ScanOptions();
        var effective = options with { StartInclusive = true, StopInclusive = false };
        return [.. DealPartitions(PartitionCount, maxSplit).Select(partitions => Scan(() => new PegasusScanner(this, partitions, [0, 0], [0xFF, 0xFF], effective, null)))];
    }

    /// <inheritdoc />
    public IObservable<PegasusRecord> FullScan(ScanOptions? options = null) => GetUnorderedScanners(1, options)[0];

    /// <inheritdoc />
    public Deferred<long> Count(ScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        var effective = (options ?? new ScanOptions()) with { OnlyReturnCount = true, StartInclusive = true, StopInclusive = false };
        return _client.OnLoop(() => new PegasusScanner(this, Enumerable.Range(0, PartitionCount), [0, 0], [0xFF, 0xFF], effective, null).CountAsync(), cancellationToken);
    }

    internal async Task<ScanResponse> ScanCallAsync(int partition, ulong hash, string rpc, IThriftMessage request, TimeSpan? timeout)
    {
        var (response, _) = await CallAsync("scan", [], [], hash, partition, rpc, request, ScanResponse.Read, timeout);
        return response;
    }

    internal void ClearScanner(int partition, ulong? hash, long context)
    {
        var configuration = _configuration;
        if (configuration.Primary(partition) is { } primary)
        {
            var header = new RequestHeader(Options.HeaderVersion, configuration.AppId, partition, 0, hash ?? (ulong)partition, false);
            _client.Session(primary).CallOneWay(header, RpcNames.ClearScanner, new I64Args(context));
        }
    }

    /// <summary>Java's split: the first count % n scanners get one partition more; partitions are taken from the highest index down.</summary>
    internal static List<List<int>> DealPartitions(int count, int maxSplit)
    {
        var n = Math.Min(count, maxSplit);
        var next = count - 1;
        var result = new List<List<int>>(n);
        for (var i = 0; i < n; i++)
        {
            var size = count / n + (i < count % n ? 1 : 0);
            var partitions = new List<int>(size);
            for (var j = 0; j < size; j++)
            {
                partitions.Add(next--);
            }

            result.Add(partitions);
        }

        return result;
    }

    private static (byte[] Start, byte[] Stop, bool StopInclusive, bool Empty) OrderedRange(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, ScanOptions options)
    {
        var start = PegasusKey.Compose(hashKey, startSortKey);
        byte[] stop;
        var stopInclusive = options.StopInclusive;
        if (stopSortKey.Length == 0)
        {
            stop = PegasusKey.Next(PegasusKey.Compose(hashKey, []));
            stopInclusive = false;
        }
        else
        {
            stop = PegasusKey.Compose(hashKey, stopSortKey);
        }

        if (options.SortKeyFilterType == FilterType.MatchPrefix && options.SortKeyFilterPattern.Length > 0)
        {
            var prefixStart = PegasusKey.Compose(hashKey, options.SortKeyFilterPattern);
            var prefixStop = PegasusKey.Next(prefixStart);
            if (PegasusKey.Compare(prefixStart, start) > 0)
            {
                start = prefixStart;
            }

            if (PegasusKey.Compare(prefixStop, stop) <= 0)
            {
                stop = prefixStop;
                stopInclusive = false;
            }
        }

        var order = PegasusKey.Compare(start, stop);
        var empty = order > 0 || (order == 0 && !(options.StartInclusive && stopInclusive));
        return (start, stop, stopInclusive, empty);
    }

    // The scan runs on the subscriber's side of the loop: one hop to the loop and back per batch, each row delivered on
    // the subscriber's own thread (or loop), and the next batch fetched only once the subscriber has taken this one, so
    // a slow subscriber holds at most one batch in memory and never gets rows on a loop it did not subscribe from.
    private IObservable<PegasusRecord> Scan(Func<PegasusScanner> open) => Observable.Create<PegasusRecord>(async (observer, cancel) =>
    {
        await foreach (var record in Pull(open, cancel))
        {
            if (cancel.IsCancellationRequested)
            {
                break;
            }

            observer.OnNext(record);
        }
    });

    private async IAsyncEnumerable<PegasusRecord> Pull(Func<PegasusScanner> open, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanner = await Loop.InvokeAsync(open);

        // Released the moment the consumer stops (inside its Dispose), not after the batch in hand is walked; the
        // finally releases again in case a batch was in flight then and opened a new server context.
        using var release = cancellationToken.Register(() => Loop.Execute(scanner.Close));
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await _client.OnLoop(scanner.NextBatchAsync).ToTask(cancellationToken);
                if (batch is null)
                {
                    yield break;
                }

                foreach (var record in batch)
                {
                    yield return record;
                }
            }
        }
        finally
        {
            Loop.Execute(scanner.Close);
        }
    }
}
