using System.Buffers;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// The Redis Cluster hash slot of a key: CRC16 (CCITT/XMODEM, as Redis's crc16.c) of the key, or of its hash tag,
/// modulo <see cref="Count"/>. The hash tag is the part between the first <c>{</c> and the next <c>}</c> after it,
/// when that part is not empty; it lets callers keep related keys in one slot.
/// </summary>
internal static class HashSlot
{
    /// <summary>Number of slots in a Redis Cluster.</summary>
    public const int Count = 16384;

    // Keys longer than this are encoded into a pooled buffer instead of the stack.
    private const int StackLimit = 256;

    private static readonly ushort[] Table = BuildTable();

    /// <summary>The slot of a key given as its wire bytes.</summary>
    public static int Of(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf((byte)'}');
            // "{}" (empty tag) hashes the whole key, as Redis does.
            if (close > 0)
            {
                key = key.Slice(open + 1, close);
            }
        }

        return Crc16(key) & (Count - 1);
    }

    /// <summary>The slot of a key, hashed on the bytes the client writes for it (UTF-8 for text).</summary>
    public static int Of(RedisValue key)
    {
        if (key.TryGetSpan(out var span))
        {
            return Of(span);
        }

        // ASCII text (the common case) hashes its chars as the bytes they encode to: no transcoding, no buffer.
        var text = key.AsText;
        if (text is not null && System.Text.Ascii.IsValid(text))
        {
            return OfAscii(text);
        }

        // Other text and numbers are encoded once into stack memory; only long keys touch the pool.
        var length = text is not null && text.Length <= StackLimit / 3 ? text.Length * 3 : key.EncodedLength;
        if (length <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            var written = text is not null ? Encoding.UTF8.GetBytes(text, buffer) : key.CopyTo(buffer);
            return Of(buffer[..written]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            return Of(rented.AsSpan(0, key.CopyTo(rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int OfAscii(ReadOnlySpan<char> key)
    {
        var open = key.IndexOf('{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf('}');
            if (close > 0)
            {
                key = key.Slice(open + 1, close);
            }
        }

        ushort crc = 0;
        foreach (var c in key)
        {
            crc = (ushort)((crc << 8) ^ Table[((crc >> 8) ^ c) & 0xff]);
        }

        return crc & (Count - 1);
    }

    /// <summary>CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection, no final xor.</summary>
    internal static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc = (ushort)((crc << 8) ^ Table[((crc >> 8) ^ b) & 0xff]);
        }

        return crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
