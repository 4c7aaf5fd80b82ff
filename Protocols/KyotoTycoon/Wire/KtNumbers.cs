using System.Buffers.Binary;

namespace ReactiveKv.KyotoTycoon;

/// <summary>How increment and increment_double store their counters: 8 bytes big-endian int64; 16 bytes of integer and 10^-15 fraction parts.</summary>
public static class KtNumbers
{
    private const long FractionUnit = 1_000_000_000_000_000;

    /// <summary>An increment counter's value, or null when the bytes are not exactly 8.</summary>
    public static long? DecodeInt64(ReadOnlySpan<byte> stored) => stored.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(stored) : null;

    /// <summary>The 8 bytes increment stores for <paramref name="value"/>.</summary>
    public static byte[] EncodeInt64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>An increment_double counter's value, or null when the bytes are not exactly 16.</summary>
    public static decimal? DecodeDouble(ReadOnlySpan<byte> stored) => stored.Length == 16
        ? BinaryPrimitives.ReadInt64BigEndian(stored) + BinaryPrimitives.ReadInt64BigEndian(stored[8..]) / (decimal)FractionUnit
        : null;

    /// <summary>The 16 bytes increment_double stores for <paramref name="value"/> (both parts carry the sign).</summary>
    public static byte[] EncodeDouble(decimal value)
    {
        var integer = decimal.Truncate(value);
        var fraction = decimal.Truncate((value - integer) * FractionUnit);
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (long)integer);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), (long)fraction);
        return bytes;
    }
}
