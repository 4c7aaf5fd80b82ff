namespace ReactiveKv.KyotoTycoon;

/// <summary>One database of the embedded server: records with an absolute expiry, in key order (tree) or insertion order (hash).</summary>
internal sealed class KtDatabase
{
    private readonly SortedDictionary<byte[], (byte[] Value, long Xt)>? _tree;
    private readonly Dictionary<byte[], (byte[] Value, long Xt)>? _hash;
    private readonly Action<int, ReplicationOp, byte[], byte[], long>? _changed;

    public KtDatabase(string path, int index = 0, Action<int, ReplicationOp, byte[], byte[], long>? changed = null)
    {
        Index = index;
        _changed = changed;
        Path = path;
        Name = path.Contains('/') ? path[(path.LastIndexOf('/') + 1)..] : path;
        var hash = path.Split('#')[0];
        IsTree = hash == "%" || hash == "+" || hash.EndsWith(".kct", StringComparison.Ordinal) || hash.EndsWith(".kcg", StringComparison.Ordinal) || hash.EndsWith(".kcf", StringComparison.Ordinal);
        if (IsTree)
        {
            _tree = new SortedDictionary<byte[], (byte[], long)>(ByteArrayComparer.Instance);
        }
        else
        {
            _hash = new Dictionary<byte[], (byte[], long)>(ByteArrayComparer.Instance);
        }
    }

    public int Index { get; }

    public string Path { get; }

    public string Name { get; }

    public bool IsTree { get; }

    public long Count => _tree?.Count ?? _hash!.Count;

    public long Size => Records.Sum(r => (long)r.Key.Length + r.Value.Value.Length);

    private IEnumerable<KeyValuePair<byte[], (byte[] Value, long Xt)>> Records => (IEnumerable<KeyValuePair<byte[], (byte[], long)>>?)_tree ?? _hash!;

    /// <summary>The live record (expired ones are purged on sight); null when missing.</summary>
    public (byte[] Value, long Xt)? Get(byte[] key, long now)
    {
        var found = _tree is not null ? _tree.TryGetValue(key, out var t) ? t : ((byte[], long)?)null : _hash!.TryGetValue(key, out var h) ? h : null;
        if (found is { } record && now > record.Item2)
        {
            // Lazy purge of an expired record is not a change: it is not logged for replication.
            _ = _tree?.Remove(key) ?? _hash!.Remove(key);
            return null;
        }

        return found;
    }

    public void Set(byte[] key, byte[] value, long xt)
    {
        _changed?.Invoke(Index, ReplicationOp.Set, key, value, xt);
        if (_tree is not null)
        {
            _tree[key] = (value, xt);
        }
        else
        {
            _hash![key] = (value, xt);
        }
    }

    /// <summary>The first live record in key order whose key starts with <paramref name="prefix"/> and passes <paramref name="accept"/>.</summary>
    public (byte[] Key, byte[] Value, long Xt)? FirstWithPrefix(byte[] prefix, long now, Func<byte[], bool> accept)
    {
        foreach (var (key, (value, xt)) in Records)
        {
            if (key.AsSpan().StartsWith(prefix))
            {
                if (now <= xt && accept(key))
                {
                    return (key, value, xt);
                }
            }
            else if (_tree is not null && key.AsSpan().SequenceCompareTo(prefix) > 0)
            {
                // Past the prefix's range in key order.
                break;
            }
        }

        return null;
    }

    public bool Remove(byte[] key)
    {
        var removed = _tree?.Remove(key) ?? _hash!.Remove(key);
        if (removed)
        {
            _changed?.Invoke(Index, ReplicationOp.Remove, key, [], 0);
        }

        return removed;
    }

    public void Clear()
    {
        _changed?.Invoke(Index, ReplicationOp.Clear, [], [], 0);
        _tree?.Clear();
        _hash?.Clear();
    }

    /// <summary>Live keys in the database's iteration order.</summary>
    public List<byte[]> Keys(long now) => [.. Records.Where(r => now <= r.Value.Xt).Select(r => r.Key)];

    /// <summary>Drops expired records.</summary>
    public void Vacuum(long now)
    {
        foreach (var key in Records.Where(r => now > r.Value.Xt).Select(r => r.Key).ToList())
        {
            _ = _tree?.Remove(key) ?? _hash!.Remove(key);
        }
    }
}
