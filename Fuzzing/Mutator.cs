using System.Buffers.Binary;
using System.Text;

namespace ReactiveKv.Fuzzing;

/// <summary>
/// Turns a valid stream into a hostile one: bit flips, truncations, inserted, deleted and repeated bytes, and length
/// fields set to 0, -1, 2^31, 2^63 and just past a limit (as big- and little-endian integers and as decimal text).
/// </summary>
public static class Mutator
{
    private static readonly long[] Lengths = [0, -1, 1, 255, 256, 65535, 65536, int.MaxValue, 1L << 31, uint.MaxValue, long.MaxValue, 1L << 63 >>> 1];

    /// <summary>One to four mutations of <paramref name="seed"/>.</summary>
    public static byte[] Mutate(byte[] seed, Random random, long limit)
    {
        var bytes = seed.ToList();
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(bytes, random, limit);
        }

        return [.. bytes];
    }

    private static void MutateOnce(List<byte> bytes, Random random, long limit)
    {
        var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(9))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2:
                bytes.InsertRange(at, RandomBytes(random, random.Next(1, 9)));
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 9)));
                break;
            case 4 when bytes.Count > 0:
                var length = Math.Min(bytes.Count - at, random.Next(1, 33));
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
            case 5:
                Overwrite(bytes, at, BinaryLength(random, limit));
                break;
            case 6:
                Overwrite(bytes, at, Encoding.ASCII.GetBytes(Length(random, limit).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case 7 when bytes.Count > 0:
                bytes[at] = (byte)(random.Next(2) == 0 ? random.Next(256) : "\r\n:$*%~>-+_#,(=!|{}\t 0123456789"[random.Next(31)]);
                break;
            default:
                bytes.InsertRange(at, bytes.GetRange(0, Math.Min(at, random.Next(1, 65))));
                break;
        }
    }

    private static long Length(Random random, long limit) => random.Next(4) switch
    {
        0 => limit + 1,
        1 => limit,
        _ => Lengths[random.Next(Lengths.Length)],
    };

    private static byte[] BinaryLength(Random random, long limit)
    {
        var value = Length(random, limit);
        var width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
        var bytes = new byte[width];
        var little = random.Next(4) == 0;
        switch (width)
        {
            case 2 when little: BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value); break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value); break;
            case 4 when little: BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value); break;
            case 4: BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value); break;
            case 8 when little: BinaryPrimitives.WriteInt64LittleEndian(bytes, value); break;
            default: BinaryPrimitives.WriteInt64BigEndian(bytes, value); break;
        }

        return bytes;
    }

    private static void Overwrite(List<byte> bytes, int at, byte[] with)
    {
        for (var i = 0; i < with.Length; i++)
        {
            if (at + i < bytes.Count)
            {
                bytes[at + i] = with[i];
            }
            else
            {
                bytes.Add(with[i]);
            }
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
