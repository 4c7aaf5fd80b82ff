namespace ReactiveKv.Pegasus;

/// <summary>
/// The CRC-64 Pegasus routes keys by: reflected polynomial 0x9A6C9329AC4BC9B5, init and final XOR all ones. Not a
/// catalogued CRC-64, so no library computes it.
/// </summary>
public static class PegasusCrc64
{
    private const ulong Polynomial = 0x9A6C9329AC4BC9B5;
    private static readonly ulong[] Table = BuildTable();

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        var crc = ulong.MaxValue;
        foreach (var b in data)
        {
            crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ Polynomial : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }
}
