using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv.Pegasus.Thrift;

/// <summary>
/// Thrift binary encoding (big-endian) into a buffer writer, with Pegasus's special types: a blob, error code,
/// gpid or rpc_address field is typed STRUCT (12) but carries a bare primitive.
/// </summary>
internal readonly ref struct ThriftWriter(IBufferWriter<byte> output)
{
    public IBufferWriter<byte> Output { get; } = output;

    public void FieldHeader(ThriftType type, short id)
    {
        var span = Output.GetSpan(3);
        span[0] = (byte)type;
        BinaryPrimitives.WriteInt16BigEndian(span[1..], id);
        Output.Advance(3);
    }

    public void Stop() => Byte(0);

    public void Byte(byte value)
    {
        Output.GetSpan(1)[0] = value;
        Output.Advance(1);
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void I16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Output.GetSpan(2), value);
        Output.Advance(2);
    }

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Output.GetSpan(4), value);
        Output.Advance(4);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Output.GetSpan(8), value);
        Output.Advance(8);
    }

    public void Binary(ReadOnlySpan<byte> value)
    {
        I32(value.Length);
        Output.Write(value);
    }

    public void String(string value)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        I32(length);
        System.Text.Encoding.UTF8.GetBytes(value, Output.GetSpan(length));
        Output.Advance(length);
    }

    public void ListHeader(ThriftType element, int count)
    {
        Byte((byte)element);
        I32(count);
    }

    public void BoolField(short id, bool value)
    {
        FieldHeader(ThriftType.Bool, id);
        Bool(value);
    }

    public void I32Field(short id, int value)
    {
        FieldHeader(ThriftType.I32, id);
        I32(value);
    }

    public void I64Field(short id, long value)
    {
        FieldHeader(ThriftType.I64, id);
        I64(value);
    }

    public void StringField(short id, string value)
    {
        FieldHeader(ThriftType.String, id);
        String(value);
    }

    /// <summary>A <c>dsn.blob</c> field: type byte 12, payload i32 length + bytes.</summary>
    public void BlobField(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(ThriftType.Struct, id);
        Binary(value);
    }

    /// <summary>A <c>dsn.error_code</c> field: type byte 12, payload a string.</summary>
    public void ErrorCodeField(short id, string name)
    {
        FieldHeader(ThriftType.Struct, id);
        String(name);
    }

    /// <summary>A <c>dsn.gpid</c> or <c>dsn.rpc_address</c> field: type byte 12, payload an i64.</summary>
    public void SpecialI64Field(short id, long value)
    {
        FieldHeader(ThriftType.Struct, id);
        I64(value);
    }

    /// <summary>A list of blobs: element type 12, each element i32 length + bytes.</summary>
    public void BlobListField(short id, IReadOnlyList<byte[]> values)
    {
        FieldHeader(ThriftType.List, id);
        ListHeader(ThriftType.Struct, values.Count);
        foreach (var value in values)
        {
            Binary(value);
        }
    }
}
