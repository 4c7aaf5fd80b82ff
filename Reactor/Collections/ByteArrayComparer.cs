namespace ReactiveKv;

/// <summary>
/// Compares byte arrays by content: equality and hashing over the bytes, and ordinal order (unsigned byte by byte,
/// a proper prefix first), which is the order of RocksDB's bytewise comparator and of Kyoto Tycoon's tree databases.
/// A null array equals only null and sorts before every array, the empty one included.
/// </summary>
public sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    private ByteArrayComparer()
    {
    }

    /// <summary>The one instance; it holds no state.</summary>
    public static ByteArrayComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(byte[]? x, byte[]? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        return Math.Sign(x.AsSpan().SequenceCompareTo(y));
    }

    /// <inheritdoc />
    public bool Equals(byte[]? x, byte[]? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        return x.AsSpan().SequenceEqual(y);
    }

    /// <inheritdoc />
    public int GetHashCode(byte[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
