using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The record lists of the binary protocol, read the same way for the client's replies and the server's requests.
/// Fields a layout lacks come back as db 0, an empty value and xt 0.
/// </summary>
internal static class BulkRecords
{
    // A count is only a claim until the records arrive: do not let it size the list.
    private const int MaxPreallocated = 1024;

    /// <summary>
    /// Reads <paramref name="count"/> records. False when they have not all arrived (the reader is then somewhere
    /// inside them: the caller rewinds). Throws <see cref="FrameTooLargeException"/> as soon as a size says a key or
    /// value is over <paramref name="maxField"/>, or that the frame begun at <paramref name="frameStart"/> (in
    /// <see cref="SequenceReader{T}.Consumed"/> terms) would pass <paramref name="maxFrame"/> bytes.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, RecordLayout layout, uint count, int maxField, long frameStart, long maxFrame, out List<(ushort Db, byte[] Key, byte[] Value, long Xt)> records)
    {
        // Every record takes at least its size fields, so a count alone can already say the frame will pass
        // maxFrame: fail then, rather than waiting for (and buffering) records that can never all be accepted.
        var smallest = layout switch { RecordLayout.DbKey => 2 + 4, RecordLayout.KeyValue => 4 + 4, _ => 2 + 4 + 4 + 8 };
        if (maxFrame != long.MaxValue && (reader.Consumed - frameStart) + ((long)count * smallest) > maxFrame)
        {
            throw FrameTooLargeException.Exceeds(
                $"A Kyoto Tycoon binary reply of {count} records (at least {(long)count * smallest} bytes)", "KtOptions.MaxReplyBytes",
                FrameTooLargeException.Bytes(maxFrame), "raise KtOptions.MaxReplyBytes to accept it");
        }

        records = new List<(ushort, byte[], byte[], long)>((int)Math.Min(count, MaxPreallocated));
        for (var i = 0u; i < count; i++)
        {
            if (!TryReadSizes(ref reader, layout, out var db, out var ksiz, out var vsiz, out var xt))
            {
                return false;
            }

            if (ksiz > (uint)maxField || vsiz > (uint)maxField)
            {
                throw FrameTooLargeException.Exceeds(
                    $"A Kyoto Tycoon binary record of {ksiz} key and {vsiz} value bytes", "BinaryProtocol.MaxFieldBytes",
                    FrameTooLargeException.Bytes(maxField), "it is ktserver's own fixed limit on a key or value and cannot be raised");
            }

            if (reader.Consumed - frameStart + ksiz + vsiz > maxFrame)
            {
                throw FrameTooLargeException.Exceeds(
                    $"A Kyoto Tycoon binary reply of at least {reader.Consumed - frameStart + ksiz + vsiz} bytes", "KtOptions.MaxReplyBytes",
                    FrameTooLargeException.Bytes(maxFrame), "raise KtOptions.MaxReplyBytes to accept it");
            }

            if (reader.Remaining < (long)ksiz + vsiz)
            {
                return false;
            }

            var key = Take(ref reader, ksiz);
            records.Add((db, key, Take(ref reader, vsiz), xt));
        }

        return true;
    }

    private static bool TryReadSizes(ref SequenceReader<byte> reader, RecordLayout layout, out ushort db, out uint ksiz, out uint vsiz, out long xt)
    {
        db = 0;
        ksiz = vsiz = 0;
        xt = 0;
        short dbField = 0;
        if (layout != RecordLayout.KeyValue && !reader.TryReadBigEndian(out dbField))
        {
            return false;
        }

        db = (ushort)dbField;
        if (!reader.TryReadBigEndian(out int k))
        {
            return false;
        }

        ksiz = (uint)k;
        var v = 0;
        if (layout != RecordLayout.DbKey && !reader.TryReadBigEndian(out v))
        {
            return false;
        }

        vsiz = (uint)v;
        return layout != RecordLayout.DbKeyValueXt || reader.TryReadBigEndian(out xt);
    }

    private static byte[] Take(ref SequenceReader<byte> reader, uint size)
    {
        if (size == 0)
        {
            return [];
        }

        var bytes = reader.UnreadSequence.Slice(0, size).ToArray();
        reader.Advance(size);
        return bytes;
    }
}
