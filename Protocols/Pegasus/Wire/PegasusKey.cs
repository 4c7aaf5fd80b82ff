using System.Buffers.Binary;

namespace ReactiveKv.Pegasus;

/// <summary>
/// Pegasus's composite key: a big-endian u16 hash-key length, the hash key, then the sort key. RocksDB orders
/// records by these bytes, so one hash key's sort keys are contiguous and ordered.
/// </summary>
internal static class PegasusKey
{
    public const int MaxHashKeyLength = 0xFFFE;

    public static byte[] Compose(ReadOnlySpan<byte> hashKey, ReadOnlySpan<byte> sortKey)
    {
        if (hashKey.Length > MaxHashKeyLength)
        {
            throw new ArgumentException($"A Pegasus hash key must be shorter than 65535 bytes; this one has {hashKey.Length}.", nameof(hashKey));
        }

        var key = new byte[2 + hashKey.Length + sortKey.Length];
        BinaryPrimitives.WriteUInt16BigEndian(key, (ushort)hashKey.Length);
        hashKey.CopyTo(key.AsSpan(2));
        sortKey.CopyTo(key.AsSpan(2 + hashKey.Length));
        return key;
    }

    /// <summary>
    /// True for a composite key a client may send: at least the 2-byte length, a hash-key length below 0xFFFF, and at
    /// least that many bytes after it (the rest is the sort key). Anything else would make <see cref="Split"/> throw.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> key)
    {
        if (key.Length < 2)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(key);
        return length <= MaxHashKeyLength && 2 + length <= key.Length;
    }

    /// <summary>Splits a composite key; a key too short for its own length prefix is a protocol error.</summary>
    public static (byte[] HashKey, byte[] SortKey) Split(ReadOnlySpan<byte> key)
    {
        if (key.Length < 2)
        {
            throw new ProtocolErrorException($"A Pegasus key of {key.Length} bytes has no hash-key length.");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(key);
        if (2 + length > key.Length)
        {
            throw new ProtocolErrorException($"A Pegasus key claims a {length}-byte hash key but has {key.Length - 2} bytes.");
        }

        return (key.Slice(2, length).ToArray(), key[(2 + length)..].ToArray());
    }

    /// <summary>The routing hash: of the hash key, or of the sort key when the hash key is empty.</summary>
    public static ulong Hash(ReadOnlySpan<byte> hashKey, ReadOnlySpan<byte> sortKey) =>
        PegasusCrc64.Compute(hashKey.IsEmpty ? sortKey : hashKey);

    /// <summary>The routing hash of a composite key.</summary>
    public static ulong HashOfComposite(ReadOnlySpan<byte> key)
    {
        var length = BinaryPrimitives.ReadUInt16BigEndian(key);
        return length > 0 ? PegasusCrc64.Compute(key.Slice(2, length)) : PegasusCrc64.Compute(key[2..]);
    }

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>: last non-0xFF byte plus one, truncated after it.</summary>
    public static byte[] Next(ReadOnlySpan<byte> prefix)
    {
        var i = prefix.Length - 1;
        while (i >= 0 && prefix[i] == 0xFF)
        {
            i--;
        }

        if (i < 0)
        {
            // Every byte is 0xFF: nothing with this prefix has a successor of the same form; use an unreachable bound.
            return [.. prefix, 0xFF];
        }

        var next = prefix[..(i + 1)].ToArray();
        next[i]++;
        return next;
    }

    /// <summary>Unsigned byte-wise comparison, shorter first on a tie: RocksDB's order.</summary>
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => left.SequenceCompareTo(right);
}
