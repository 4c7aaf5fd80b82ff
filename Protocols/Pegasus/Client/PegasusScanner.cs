namespace ReactiveKv.Pegasus;

/// <summary>
/// Walks one or more partitions with get_scanner / scan, one batch per call, as the Java client does: a fresh
/// get_scanner restarts after the server dropped the context (from the last key read), -1 ends a partition, and
/// <see cref="Close"/> sends clear_scanner for a live context. Runs on the client's loop.
/// </summary>
internal sealed class PegasusScanner
{
    private const long NotExist = -2;
    private const long Completed = -1;

    private readonly PegasusTable _table;
    private readonly Queue<int> _partitions;
    private readonly byte[] _start;
    private readonly byte[] _stop;
    private readonly ScanOptions _options;
    private readonly ulong? _hash;
    private readonly bool _unordered;
    private int _partition = -1;
    private long _context = Completed;
    private byte[]? _lastKey;
    private int _restartsWithoutProgress;

    public PegasusScanner(PegasusTable table, IEnumerable<int> partitions, byte[] start, byte[] stop, ScanOptions options, ulong? hash)
    {
        _table = table;
        _partitions = new Queue<int>(partitions);
        _start = start;
        _stop = stop;
        _options = options;
        _hash = hash;
        _unordered = hash is null;
    }

    /// <summary>The next non-empty batch, or null when every partition is done.</summary>
    public async Task<IReadOnlyList<PegasusRecord>?> NextBatchAsync()
    {
        while (true)
        {
            if (_context == Completed)
            {
                if (!_partitions.TryDequeue(out _partition))
                {
                    return null;
                }

                _context = NotExist;
                _lastKey = null;
            }

            var response = await RequestAsync();
            switch (response.Error)
            {
                case 0:
                    _context = response.ContextId;
                    if (response.Kvs.Count == 0)
                    {
                        continue;
                    }

                    _restartsWithoutProgress = 0;
                    _lastKey = response.Kvs[^1].Key;
                    return [.. response.Kvs.Select(ToRecord)];
                case 1:
                    // The server dropped the context (idle expiry, restart): open a new one after the last key read.
                    // A get_scanner over an empty range answers context 0, whose scan is "not found" again: stop there.
                    _context = ++_restartsWithoutProgress > 2 ? Completed : NotExist;
                    continue;
                case 7:
                    _context = Completed;
                    throw new PegasusException($"Pegasus scan of table '{_table.Name}' partition {_partition} stopped incomplete (the server's time cap).", DsnErrors.Ok, RocksDbStatus.Incomplete);
                default:
                    _context = Completed;
                    throw new PegasusException($"Pegasus scan of table '{_table.Name}' partition {_partition} failed with RocksDB status {(RocksDbStatus)response.Error}.", DsnErrors.Ok, (RocksDbStatus)response.Error);
            }
        }
    }

    /// <summary>Counts rows server-side (only_return_count) over every partition of this scanner.</summary>
    public async Task<long> CountAsync()
    {
        long total = 0;
        while (true)
        {
            if (_context == Completed)
            {
                if (!_partitions.TryDequeue(out _partition))
                {
                    return total;
                }

                _context = NotExist;
            }

            var response = await RequestAsync();
            if (response.Error != 0)
            {
                throw new PegasusException($"Pegasus count of table '{_table.Name}' partition {_partition} failed with RocksDB status {(RocksDbStatus)response.Error}.", DsnErrors.Ok, (RocksDbStatus)response.Error);
            }

            total += response.KvCount ?? response.Kvs.Count;
            _context = response.ContextId;
        }
    }

    /// <summary>Releases a live server context without waiting: clear_scanner is never answered.</summary>
    public void Close()
    {
        if (_context >= 0)
        {
            _table.ClearScanner(_partition, _hash, _context);
            _context = Completed;
        }

        _partitions.Clear();
    }

    private Task<ScanResponse> RequestAsync()
    {
        var hash = _hash ?? (ulong)_partition;
        IThriftMessage request = _context >= 0
            ? new ScanRequest { ContextId = _context }
            : new GetScannerRequest
            {
                StartKey = _lastKey ?? _start,
                StopKey = _stop,
                StartInclusive = _lastKey is null && _options.StartInclusive,
                StopInclusive = _options.StopInclusive,
                BatchSize = _options.BatchSize,
                NoValue = _options.NoValue,
                HashKeyFilterType = (int)_options.HashKeyFilterType,
                HashKeyFilterPattern = _options.HashKeyFilterPattern,
                SortKeyFilterType = (int)_options.SortKeyFilterType,
                SortKeyFilterPattern = _options.SortKeyFilterPattern,
                ValidatePartitionHash = _unordered,
                ReturnExpireTs = _options.ReturnExpireTs,
                FullScan = _unordered || _options.FullScan,
                OnlyReturnCount = _options.OnlyReturnCount,
            };
        var rpc = _context >= 0 ? RpcNames.Scan : RpcNames.GetScanner;
        return _table.ScanCallAsync(_partition, hash, rpc, request, _options.Timeout);
    }

    private static PegasusRecord ToRecord(KeyValue kv)
    {
        var (hashKey, sortKey) = PegasusKey.Split(kv.Key);
        return new PegasusRecord(hashKey, sortKey, kv.Value);
    }
}
