using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv.KyotoTycoon;

/// <summary>The replication protocol's pieces (spec §6): the 15-byte handshake, log messages with base-128 varnums, no-ops.</summary>
internal static class ReplicationCodec
{
    public const byte Record = 0xB1;
    public const byte NoOp = 0xB0;
    public const uint WhiteSid = 0x01;

    public static byte[] Handshake(ulong timestamp, ushort serverId, bool whiteSid)
    {
        var bytes = new byte[15];
        bytes[0] = Record;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), whiteSid ? WhiteSid : 0);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(5), timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(13), serverId);
        return bytes;
    }

    public static byte[] Message(ushort sid, ushort db, ReplicationOp op, byte[] key, byte[] storedValue)
    {
        var output = new ArrayBufferWriter<byte>();
        var head = output.GetSpan(5);
        BinaryPrimitives.WriteUInt16BigEndian(head, sid);
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], db);
        head[4] = (byte)op;
        output.Advance(5);
        if (op == ReplicationOp.Set)
        {
            WriteVarnum(output, (ulong)key.Length);
            WriteVarnum(output, (ulong)storedValue.Length);
            output.Write(key);
            output.Write(storedValue);
        }
        else if (op == ReplicationOp.Remove)
        {
            WriteVarnum(output, (ulong)key.Length);
            output.Write(key);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a log message; null for the op codes a slave ignores.</summary>
    public static ReplicationRecord? Decode(ulong timestamp, byte[] message)
    {
        if (message.Length < 5)
        {
            throw new ProtocolErrorException($"A replication message of {message.Length} bytes is shorter than its header.");
        }

        var sid = BinaryPrimitives.ReadUInt16BigEndian(message);
        var db = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(2));
        var op = (ReplicationOp)message[4];
        ReadOnlySpan<byte> rest = message.AsSpan(5);
        switch (op)
        {
            case ReplicationOp.Set:
                var ksiz = ReadVarnum(ref rest);
                var vsiz = ReadVarnum(ref rest);
                if ((ulong)rest.Length < ksiz + vsiz || vsiz < 5)
                {
                    throw new ProtocolErrorException("A replicated SET is shorter than its sizes say.");
                }

                var key = rest[..(int)ksiz].ToArray();
                var stored = rest.Slice((int)ksiz, (int)vsiz);
                var xt = ((long)stored[0] << 32) | BinaryPrimitives.ReadUInt32BigEndian(stored[1..]);
                var expires = KtExpiry.AbsoluteToDate(xt);
                return new ReplicationRecord(timestamp, sid, db, op, key, stored[5..].ToArray(), expires, message);
            case ReplicationOp.Remove:
                var length = ReadVarnum(ref rest);
                if ((ulong)rest.Length < length)
                {
                    throw new ProtocolErrorException("A replicated REMOVE is shorter than its size says.");
                }

                return new ReplicationRecord(timestamp, sid, db, op, rest[..(int)length].ToArray(), [], null, message);
            case ReplicationOp.Clear:
                return new ReplicationRecord(timestamp, sid, db, op, [], [], null, message);
            default:
                return null;
        }
    }

    /// <summary>The stored internal value of a SET: 5 bytes of big-endian absolute expiry (all ones = never), then the user value.</summary>
    public static byte[] StoredValue(byte[] value, long xt)
    {
        var stored = new byte[5 + value.Length];
        var clamped = Math.Min(xt, KtExpiry.NeverAbsolute);
        stored[0] = (byte)(clamped >> 32);
        BinaryPrimitives.WriteUInt32BigEndian(stored.AsSpan(1), (uint)clamped);
        value.CopyTo(stored, 5);
        return stored;
    }

    /// <summary>Big-endian base 128: 7 bits per byte, most significant first, 0x80 on every byte but the last.</summary>
    public static void WriteVarnum(IBufferWriter<byte> output, ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        var i = buffer.Length;
        buffer[--i] = (byte)(value & 0x7F);
        value >>= 7;
        while (value > 0)
        {
            buffer[--i] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }

        output.Write(buffer[i..]);
    }

    public static ulong ReadVarnum(ref ReadOnlySpan<byte> input)
    {
        ulong value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (input.IsEmpty)
            {
                throw new ProtocolErrorException("A varnum runs past the end of its message.");
            }

            var b = input[0];
            input = input[1..];
            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ProtocolErrorException("A varnum is longer than ten bytes.");
    }
}
