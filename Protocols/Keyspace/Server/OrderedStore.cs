namespace ReactiveKv.Keyspace;

/// <summary>
/// A node's table: keys in byte-wise order (memcmp, a proper prefix first), as the server's B-tree keeps them. Two
/// parallel sorted lists give a lower-bound seek and an index walk in both directions, which lists need and a
/// <see cref="SortedDictionary{TKey,TValue}"/> does not offer; inserts move memory, fine for a test cluster.
/// </summary>
internal sealed class OrderedStore
{
    private readonly List<byte[]> _keys;
    private readonly List<byte[]> _values;

    public OrderedStore()
    {
        _keys = [];
        _values = [];
    }

    private OrderedStore(OrderedStore other)
    {
        // Keys and values are never mutated in place, so a catch-up copy can share the arrays.
        _keys = [.. other._keys];
        _values = [.. other._values];
    }

    public int Count => _keys.Count;

    public byte[] KeyAt(int index) => _keys[index];

    public byte[] ValueAt(int index) => _values[index];

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var index = LowerBound(key);
        return index < _keys.Count && _keys[index].AsSpan().SequenceEqual(key) ? _values[index] : null;
    }

    public void Set(byte[] key, byte[] value)
    {
        var index = LowerBound(key);
        if (index < _keys.Count && _keys[index].AsSpan().SequenceEqual(key))
        {
            _values[index] = value;
            return;
        }

        _keys.Insert(index, key);
        _values.Insert(index, value);
    }

    /// <summary>Deletes <paramref name="key"/>; returns its value, or null when it was not there.</summary>
    public byte[]? Delete(ReadOnlySpan<byte> key)
    {
        var index = LowerBound(key);
        if (index >= _keys.Count || !_keys[index].AsSpan().SequenceEqual(key))
        {
            return null;
        }

        var old = _values[index];
        _keys.RemoveAt(index);
        _values.RemoveAt(index);
        return old;
    }

    /// <summary>Deletes every key for which <paramref name="match"/> holds.</summary>
    public void DeleteWhere(Func<byte[], bool> match)
    {
        var kept = 0;
        for (var i = 0; i < _keys.Count; i++)
        {
            if (!match(_keys[i]))
            {
                _keys[kept] = _keys[i];
                _values[kept] = _values[i];
                kept++;
            }
        }

        _keys.RemoveRange(kept, _keys.Count - kept);
        _values.RemoveRange(kept, _values.Count - kept);
    }

    /// <summary>Index of the first key at or above <paramref name="key"/> (<see cref="Count"/> when none is).</summary>
    public int LowerBound(ReadOnlySpan<byte> key)
    {
        var (low, high) = (0, _keys.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_keys[middle].AsSpan().SequenceCompareTo(key) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    public OrderedStore Clone() => new(this);
}
