using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ReactiveKv.Amqp;

/// <summary>
/// Writes AMQP's big-endian primitives straight into the output. Lengths are validated by <see cref="AmqpSize"/>,
/// which every caller runs first to size its frame, so a bad argument fails before any byte is written.
/// </summary>
internal readonly struct AmqpWriter(IBufferWriter<byte> output)
{
    public IBufferWriter<byte> Output => output;

    public void WriteOctet(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteShort(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    public void WriteLong(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteLongLong(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteFloat(float value) => WriteLong((uint)BitConverter.SingleToInt32Bits(value));

    public void WriteDouble(double value) => WriteLongLong((ulong)BitConverter.DoubleToInt64Bits(value));

    public void WriteShortString(string? value)
    {
        var length = AmqpSize.ShortStringBytes(value);
        WriteOctet((byte)length);
        WriteText(value, length);
    }

    public void WriteLongString(string? value)
    {
        var length = value is null ? 0 : Encoding.UTF8.GetByteCount(value);
        WriteLong((uint)length);
        WriteText(value, length);
    }

    public void WriteLongString(ReadOnlySpan<byte> value)
    {
        WriteLong((uint)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty)
        {
            value.CopyTo(output.GetSpan(value.Length));
            output.Advance(value.Length);
        }
    }

    public void WriteTable(IEnumerable<KeyValuePair<string, object?>>? table) => FieldCodec.WriteTable(this, table);

    private void WriteText(string? value, int length)
    {
        if (length > 0)
        {
            Encoding.UTF8.GetBytes(value.AsSpan(), output.GetSpan(length));
            output.Advance(length);
        }
    }
}
