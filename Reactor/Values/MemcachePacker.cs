using System.Buffers.Binary;
using System.IO.Compression;

namespace ReactiveKv;

/// <summary>
/// Values as the KT memcached plugin stores them with <c>opts=f</c>: the packed value, optionally gzip-compressed,
/// followed by 4 bytes of big-endian flags, so memcached clients reading through the plugin see the same value and
/// flags. As in python-kyototycoon, compression is on request, only for values of at least
/// <c>gzipThreshold</c> bytes, and marked by the <c>gzipFlag</c> bit (default 1), which this packer alone interprets.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class MemcachePacker<T>(IValuePacker<T> inner, uint flags = 0, bool gzip = false, int gzipThreshold = 0, uint gzipFlag = 1) : IValuePacker<T>
{
    /// <summary>The flags written with every value (the gzip bit added when a value was compressed).</summary>
    public uint Flags => flags;

    /// <inheritdoc />
    public byte[] Pack(T value)
    {
        var bytes = inner.Pack(value);
        var written = flags;
        if (gzip && bytes.Length >= gzipThreshold)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(bytes);
            }

            bytes = compressed.ToArray();
            written |= gzipFlag;
        }

        var stored = new byte[bytes.Length + 4];
        bytes.CopyTo(stored, 0);
        BinaryPrimitives.WriteUInt32BigEndian(stored.AsSpan(bytes.Length), written);
        return stored;
    }

    /// <inheritdoc />
    public T Unpack(byte[] bytes)
    {
        var payload = Split(bytes, out var stored);
        if (gzip && (stored & gzipFlag) != 0)
        {
            using var input = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            payload = output.ToArray();
        }

        return inner.Unpack(payload);
    }

    /// <summary>Splits a stored value into its payload and its 4 trailing flag bytes.</summary>
    public static byte[] Split(byte[] stored, out uint flags)
    {
        if (stored.Length < 4)
        {
            throw new FormatException($"A memcache-packed value needs 4 bytes of flags; this one has {stored.Length} bytes.");
        }

        flags = BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(stored.Length - 4));
        return stored[..^4];
    }
}
