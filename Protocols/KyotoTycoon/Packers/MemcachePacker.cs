using System.Buffers.Binary;
using System.IO.Compression;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Values as the KT memcached plugin stores them with <c>opts=f</c>: the packed value, optionally gzip-compressed,
/// followed by 4 bytes of big-endian flags, so memcached clients reading through the plugin see the same value and
/// flags. A set gzip flag bit (<see cref="GzipFlag"/>) marks compressed values, as python-kyototycoon's packer does.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class MemcachePacker<T>(IValuePacker<T> inner, uint flags = 0, bool gzip = false) : IValuePacker<T>
{
    /// <summary>The flag bit that marks a gzip-compressed value.</summary>
    public const uint GzipFlag = 1;

    /// <summary>The flags written with every value.</summary>
    public uint Flags => gzip ? flags | GzipFlag : flags;

    /// <inheritdoc />
    public byte[] Pack(T value)
    {
        var bytes = inner.Pack(value);
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(bytes);
            }

            bytes = compressed.ToArray();
        }

        var stored = new byte[bytes.Length + 4];
        bytes.CopyTo(stored, 0);
        BinaryPrimitives.WriteUInt32BigEndian(stored.AsSpan(bytes.Length), Flags);
        return stored;
    }

    /// <inheritdoc />
    public T Unpack(byte[] bytes) => inner.Unpack(Payload(bytes, out _));

    /// <summary>The value bytes (decompressed when the flags say gzip) and the flags of a stored value.</summary>
    public static byte[] Payload(byte[] stored, out uint flags)
    {
        if (stored.Length < 4)
        {
            throw new FormatException($"A memcache-packed value needs 4 bytes of flags; this one has {stored.Length} bytes.");
        }

        flags = BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(stored.Length - 4));
        var payload = stored[..^4];
        if ((flags & GzipFlag) == 0)
        {
            return payload;
        }

        using var input = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
