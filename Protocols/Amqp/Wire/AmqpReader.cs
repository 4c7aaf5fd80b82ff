using System.Buffers;
using System.Text;

namespace ReactiveKv.Amqp;

/// <summary>
/// Reads AMQP's big-endian primitives from a payload. Every length is checked against the bytes left before it is
/// used, so a truncated or lying payload fails as <see cref="AmqpFrameException"/>, never as an index error.
/// </summary>
internal ref struct AmqpReader
{
    private SequenceReader<byte> _reader;

    public AmqpReader(ReadOnlySequence<byte> payload, int depth = 0)
    {
        _reader = new SequenceReader<byte>(payload);
        Depth = depth;
    }

    /// <summary>How many tables and arrays enclose what this reader reads.</summary>
    public int Depth { get; }

    public readonly long Remaining => _reader.Remaining;

    public byte ReadOctet() => _reader.TryRead(out var value) ? value : throw Truncated(1);

    public ushort ReadShort() => _reader.TryReadBigEndian(out short value) ? (ushort)value : throw Truncated(2);

    public uint ReadLong() => _reader.TryReadBigEndian(out int value) ? (uint)value : throw Truncated(4);

    public ulong ReadLongLong() => _reader.TryReadBigEndian(out long value) ? (ulong)value : throw Truncated(8);

    public float ReadFloat() => BitConverter.Int32BitsToSingle((int)ReadLong());

    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadLongLong());

    public string ReadShortString() => ShortStringCache.Get(ReadSlice(ReadOctet()));

    public string ReadLongStringText() => Encoding.UTF8.GetString(ReadSlice(ReadLong()));

    public byte[] ReadLongStringBytes() => ReadSlice(ReadLong()).ToArray();

    public FieldTable ReadTable() => FieldCodec.ReadTable(ReadSlice(ReadLong()), Depth + 1);

    /// <summary>The next <paramref name="length"/> bytes, as a slice of the payload.</summary>
    public ReadOnlySequence<byte> ReadSlice(long length)
    {
        if (_reader.Remaining < length)
        {
            throw Truncated(length);
        }

        var slice = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return slice;
    }

    private readonly AmqpFrameException Truncated(long wanted) =>
        new($"An AMQP payload is truncated: {wanted} more bytes were announced but only {_reader.Remaining} remain.");
}
