using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Decodes the requests of one connection to the embedded server. Each request is HTTP or binary by its first byte
/// (0x00 or &gt;= 0x80 is binary), as ktserver decides; after a replication handshake the connection carries only
/// the slave's acknowledgements. Requests ktserver refuses throw <see cref="KtRequestRejectedException"/>.
/// </summary>
/// <param name="maxLine">Longest HTTP request or header line (ktserver: 8192).</param>
/// <param name="maxBody">Largest HTTP body, and largest binary request (ktserver: 256 MiB, and no bound on a binary request).</param>
/// <param name="maxField">Largest binary key, value or script name (ktserver: 2^28).</param>
internal sealed class KtRequestDecoder(int maxLine, long maxBody, int maxField) : IFrameDecoder<KtRequest>
{
    private bool _replicating;

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, [MaybeNullWhen(false)] out KtRequest frame)
    {
        frame = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        if (_replicating)
        {
            reader.Advance(1);
            frame = first == ReplicationCodec.Record
                ? KtRequest.Acknowledgement.Instance
                : throw new KtRequestRejectedException($"A replication slave answered 0x{first:X2} to a no-op.", KtRejection.Abort);
        }
        else if (first == 0x00 || first >= 0x80 ? !TryReadBinary(ref reader, out frame) : !TryReadHttp(ref reader, out frame))
        {
            return false;
        }

        _replicating |= frame is KtRequest.Replicate;
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private bool TryReadHttp(ref SequenceReader<byte> reader, [NotNullWhen(true)] out KtRequest? frame)
    {
        var done = HttpRequestReader.TryRead(ref reader, maxLine, maxBody, out var request);
        frame = request;
        return done;
    }

    private bool TryReadBinary(ref SequenceReader<byte> reader, [NotNullWhen(true)] out KtRequest? frame)
    {
        frame = null;
        reader.TryRead(out var magic);
        switch (magic)
        {
            case ReplicationCodec.Record:
                if (!reader.TryReadBigEndian(out int replicationFlags) || !reader.TryReadBigEndian(out long timestamp) || !reader.TryReadBigEndian(out short sid))
                {
                    return false;
                }

                frame = new KtRequest.Replicate((uint)replicationFlags, (ulong)timestamp, (ushort)sid);
                return true;
            case BinaryProtocol.PlayScript:
                return TryReadScript(ref reader, out frame);
            case BinaryProtocol.SetBulk or BinaryProtocol.RemoveBulk or BinaryProtocol.GetBulk:
                return TryReadBulk(ref reader, magic, out frame);
            default:
                throw new KtRequestRejectedException($"Binary magic 0x{magic:X2} is not a request.", KtRejection.Close);
        }
    }

    private bool TryReadBulk(ref SequenceReader<byte> reader, byte magic, [NotNullWhen(true)] out KtRequest? frame)
    {
        frame = null;
        if (!reader.TryReadBigEndian(out int flags) || !reader.TryReadBigEndian(out int count)
            || !TryReadRecords(ref reader, magic == BinaryProtocol.SetBulk ? RecordLayout.DbKeyValueXt : RecordLayout.DbKey, (uint)count, KtRejection.ErrorByte, out var records))
        {
            return false;
        }

        frame = new KtRequest.Bulk(magic, (uint)flags, records);
        return true;
    }

    private bool TryReadScript(ref SequenceReader<byte> reader, [NotNullWhen(true)] out KtRequest? frame)
    {
        frame = null;
        if (!reader.TryReadBigEndian(out int flags) || !reader.TryReadBigEndian(out int nameSize) || !reader.TryReadBigEndian(out int count))
        {
            return false;
        }

        if ((uint)nameSize > (uint)maxField)
        {
            throw new KtRequestRejectedException($"A {(uint)nameSize}-byte script name is over the limit.", KtRejection.Close);
        }

        if (reader.Remaining < nameSize)
        {
            return false;
        }

        var name = Encoding.Latin1.GetString(reader.UnreadSequence.Slice(0, nameSize));
        reader.Advance(nameSize);
        if (!TryReadRecords(ref reader, RecordLayout.KeyValue, (uint)count, KtRejection.Close, out var records))
        {
            return false;
        }

        frame = new KtRequest.Script((uint)flags, name, records.ConvertAll(r => (r.Key, r.Value)));
        return true;
    }

    private bool TryReadRecords(ref SequenceReader<byte> reader, RecordLayout layout, uint count, KtRejection oversized, out List<(ushort Db, byte[] Key, byte[] Value, long Xt)> records)
    {
        try
        {
            // ktserver bounds each key and value only; here the whole request is bounded too, by the body limit, so
            // a count of 2^32 empty records cannot make the connection buffer without end.
            return BulkRecords.TryRead(ref reader, layout, count, maxField, 0, maxBody, out records);
        }
        catch (FrameTooLargeException e)
        {
            throw new KtRequestRejectedException(e.Message, oversized, e);
        }
    }
}
