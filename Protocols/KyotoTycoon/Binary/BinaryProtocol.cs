using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Kyoto Tycoon's binary protocol (same port as HTTP, chosen by the first byte): set_bulk, remove_bulk and
/// get_bulk, big-endian, with the no-reply flag where the server honours it and 0xBF as the error reply.
/// </summary>
internal static class BinaryProtocol
{
    public const byte SetBulk = 0xB8;
    public const byte RemoveBulk = 0xB9;
    public const byte GetBulk = 0xBA;
    public const byte PlayScript = 0xB4;
    public const byte Replication = 0xB1;
    public const byte NoOp = 0xB0;
    public const byte Error = 0xBF;
    public const uint NoReply = 0x01;

    /// <summary>Keys and values are limited to 2^28 bytes, as the server limits them.</summary>
    public const int MaxFieldBytes = 1 << 28;

    public static void WriteSetBulk(IBufferWriter<byte> output, bool noReply, IReadOnlyList<(ushort Db, byte[] Key, byte[] Value, long Xt)> records)
    {
        Header(output, SetBulk, noReply ? NoReply : 0, records.Count);
        foreach (var (db, key, value, xt) in records)
        {
            var span = output.GetSpan(18);
            BinaryPrimitives.WriteUInt16BigEndian(span, db);
            BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)key.Length);
            BinaryPrimitives.WriteUInt32BigEndian(span[6..], (uint)value.Length);
            BinaryPrimitives.WriteInt64BigEndian(span[10..], xt);
            output.Advance(18);
            output.Write(key);
            output.Write(value);
        }
    }

    /// <summary>remove_bulk or get_bulk: a list of (db, key). get_bulk's no-reply flag is reserved, so it is never set.</summary>
    public static void WriteKeys(IBufferWriter<byte> output, byte magic, bool noReply, IReadOnlyList<(ushort Db, byte[] Key)> keys)
    {
        Header(output, magic, noReply && magic != GetBulk ? NoReply : 0, keys.Count);
        foreach (var (db, key) in keys)
        {
            var span = output.GetSpan(6);
            BinaryPrimitives.WriteUInt16BigEndian(span, db);
            BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)key.Length);
            output.Advance(6);
            output.Write(key);
        }
    }

    /// <summary>A set_bulk / remove_bulk reply (magic, u32 hits), or the error byte. False when more bytes are needed.</summary>
    public static bool TryReadCount(ref SequenceReader<byte> reader, byte magic, out long hits, out bool error)
    {
        var done = TryReadReply(ref reader, magic, null, long.MaxValue, out var count, out _, out error);
        hits = count;
        return done;
    }

    /// <summary>A get_bulk reply: hits in request order with their absolute expiry (2^40-1 = never). False when more bytes are needed.</summary>
    public static bool TryReadGetBulk(ref SequenceReader<byte> reader, long maxBytes, out List<(ushort Db, byte[] Key, byte[] Value, long Xt)>? records, out bool error) =>
        TryReadReply(ref reader, GetBulk, RecordLayout.DbKeyValueXt, maxBytes, out _, out records, out error);

    public static void WritePlayScript(IBufferWriter<byte> output, string name, bool noReply, IReadOnlyList<(byte[] Key, byte[] Value)> records)
    {
        var nameBytes = System.Text.Encoding.Latin1.GetBytes(name);
        var span = output.GetSpan(13);
        span[0] = PlayScript;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], noReply ? NoReply : 0);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], (uint)nameBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], (uint)records.Count);
        output.Advance(13);
        output.Write(nameBytes);
        foreach (var (key, value) in records)
        {
            var sizes = output.GetSpan(8);
            BinaryPrimitives.WriteUInt32BigEndian(sizes, (uint)key.Length);
            BinaryPrimitives.WriteUInt32BigEndian(sizes[4..], (uint)value.Length);
            output.Advance(8);
            output.Write(key);
            output.Write(value);
        }
    }

    /// <summary>A play_script reply (sorted records) or the error byte, which leaves the connection usable. False when more bytes are needed.</summary>
    public static bool TryReadPlayScript(ref SequenceReader<byte> reader, long maxBytes, out List<(byte[] Key, byte[] Value)>? records, out bool error)
    {
        var done = TryReadReply(ref reader, PlayScript, RecordLayout.KeyValue, maxBytes, out _, out var full, out error);
        records = full?.ConvertAll(r => (r.Key, r.Value));
        return done;
    }

    /// <summary>
    /// One binary reply: the error byte, or <paramref name="magic"/>, a u32 count and (with a layout) that many
    /// records. False, with the reader unmoved, when more bytes are needed; any other first byte is a protocol error.
    /// </summary>
    private static bool TryReadReply(ref SequenceReader<byte> reader, byte magic, RecordLayout? layout, long maxBytes, out uint count, out List<(ushort Db, byte[] Key, byte[] Value, long Xt)>? records, out bool error)
    {
        count = 0;
        records = null;
        error = false;
        var start = reader;
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        if (first == Error)
        {
            error = true;
            return true;
        }

        if (first != magic)
        {
            throw new ProtocolErrorException($"Kyoto Tycoon answered 0x{first:X2} to a 0x{magic:X2} request.");
        }

        if (!reader.TryReadBigEndian(out int n) || (layout is { } l && !BulkRecords.TryRead(ref reader, l, (uint)n, MaxFieldBytes, start.Consumed, maxBytes, out records)))
        {
            reader = start;
            records = null;
            return false;
        }

        count = (uint)n;
        return true;
    }

    private static void Header(IBufferWriter<byte> output, byte magic, uint flags, int count)
    {
        var span = output.GetSpan(9);
        span[0] = magic;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], flags);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], (uint)count);
        output.Advance(9);
    }
}
