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
        hits = 0;
        error = false;
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        if (first == Error)
        {
            reader.Advance(1);
            error = true;
            return true;
        }

        if (first != magic)
        {
            throw new ProtocolErrorException($"Kyoto Tycoon answered 0x{first:X2} to a 0x{magic:X2} request.");
        }

        if (reader.Remaining < 5)
        {
            return false;
        }

        reader.Advance(1);
        reader.TryReadBigEndian(out int count);
        hits = (uint)count;
        return true;
    }

    /// <summary>A get_bulk reply: hits in request order with their absolute expiry (2^40-1 = never). False when more bytes are needed.</summary>
    public static bool TryReadGetBulk(ref SequenceReader<byte> reader, long maxBytes, out List<(ushort Db, byte[] Key, byte[] Value, long Xt)>? records, out bool error)
    {
        records = null;
        error = false;
        var start = reader;
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        if (first == Error)
        {
            reader.Advance(1);
            error = true;
            return true;
        }

        if (first != GetBulk)
        {
            throw new ProtocolErrorException($"Kyoto Tycoon answered 0x{first:X2} to a get_bulk request.");
        }

        reader.Advance(1);
        if (!reader.TryReadBigEndian(out int hits))
        {
            reader = start;
            return false;
        }

        var list = new List<(ushort, byte[], byte[], long)>();
        for (var i = 0; i < (uint)hits; i++)
        {
            if (!reader.TryReadBigEndian(out short db) || !reader.TryReadBigEndian(out int ksiz) || !reader.TryReadBigEndian(out int vsiz) || !reader.TryReadBigEndian(out long xt))
            {
                reader = start;
                return false;
            }

            if ((uint)ksiz > MaxFieldBytes || (uint)vsiz > MaxFieldBytes || reader.Consumed - start.Consumed + (long)(uint)ksiz + (uint)vsiz > maxBytes)
            {
                throw new FrameTooLargeException($"A get_bulk record of {(uint)ksiz} + {(uint)vsiz} bytes is over the reply limit.");
            }

            if (reader.Remaining < (long)(uint)ksiz + (uint)vsiz)
            {
                reader = start;
                return false;
            }

            var key = reader.UnreadSequence.Slice(0, ksiz).ToArray();
            reader.Advance(ksiz);
            var value = reader.UnreadSequence.Slice(0, vsiz).ToArray();
            reader.Advance(vsiz);
            list.Add(((ushort)db, key, value, xt));
        }

        records = list;
        return true;
    }

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

        if (first != PlayScript || !reader.TryReadBigEndian(out int count))
        {
            if (first != PlayScript)
            {
                throw new ProtocolErrorException($"Kyoto Tycoon answered 0x{first:X2} to a play_script request.");
            }

            reader = start;
            return false;
        }

        var list = new List<(byte[], byte[])>();
        for (var i = 0; i < (uint)count; i++)
        {
            if (!reader.TryReadBigEndian(out int ksiz) || !reader.TryReadBigEndian(out int vsiz))
            {
                reader = start;
                return false;
            }

            if ((uint)ksiz > MaxFieldBytes || (uint)vsiz > MaxFieldBytes || reader.Consumed - start.Consumed + (long)(uint)ksiz + (uint)vsiz > maxBytes)
            {
                throw new FrameTooLargeException($"A play_script record of {(uint)ksiz} + {(uint)vsiz} bytes is over the reply limit.");
            }

            if (reader.Remaining < (long)(uint)ksiz + (uint)vsiz)
            {
                reader = start;
                return false;
            }

            var key = reader.UnreadSequence.Slice(0, ksiz).ToArray();
            reader.Advance(ksiz);
            var value = reader.UnreadSequence.Slice(0, vsiz).ToArray();
            reader.Advance(vsiz);
            list.Add((key, value));
        }

        records = list;
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
