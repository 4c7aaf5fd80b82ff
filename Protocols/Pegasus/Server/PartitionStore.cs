namespace ReactiveKv.Pegasus;

/// <summary>One partition's records in RocksDB order (unsigned bytes of the composite key), with lazy expiry.</summary>
internal sealed class PartitionStore
{
    private readonly SortedSet<byte[]> _keys = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], (byte[] Value, int ExpireTs)> _records = new(ByteArrayComparer.Instance);

    public long Decree { get; set; }

    /// <summary>The live record, or null when missing or expired at <paramref name="now"/>.</summary>
    public (byte[] Value, int ExpireTs)? Get(byte[] key, int now) =>
        _records.TryGetValue(key, out var record) && !PegasusEpoch.IsExpired(record.ExpireTs, now) ? record : null;

    public void Put(byte[] key, byte[] value, int expireTs)
    {
        _keys.Add(key);
        _records[key] = (value, expireTs);
    }

    public void Remove(byte[] key)
    {
        _keys.Remove(key);
        _records.Remove(key);
    }

    /// <summary>Keys from <paramref name="start"/> to <paramref name="stop"/> (either null = unbounded), honouring the inclusive flags, expired ones included.</summary>
    public IEnumerable<byte[]> Range(byte[]? start, bool startInclusive, byte[]? stop, bool stopInclusive, bool reverse = false)
    {
        if (_keys.Count == 0)
        {
            return [];
        }

        var lower = start ?? _keys.Min!;
        var upper = stop ?? _keys.Max!;
        if (ByteArrayComparer.Instance.Compare(lower, upper) > 0)
        {
            return [];
        }

        IEnumerable<byte[]> view = _keys.GetViewBetween(lower, upper);
        if (reverse)
        {
            view = view.Reverse();
        }

        return view.Where(k =>
            (startInclusive || start is null || ByteArrayComparer.Instance.Compare(k, start) != 0) &&
            (stopInclusive || stop is null || ByteArrayComparer.Instance.Compare(k, stop) != 0));
    }
}
