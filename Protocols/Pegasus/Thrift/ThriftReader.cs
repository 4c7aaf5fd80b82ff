using System.Buffers.Binary;

namespace ReactiveKv.Pegasus.Thrift;

/// <summary>
/// Reads thrift binary encoding from one contiguous frame. Every read is bounds-checked: a truncated or lying
/// frame throws <see cref="ProtocolErrorException"/>, never reads past the frame.
/// </summary>
internal ref struct ThriftReader(ReadOnlySpan<byte> frame)
{
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _frame.Length - _position;

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ProtocolErrorException($"A thrift value of {count} bytes runs past the end of its {_frame.Length}-byte frame.");
        }

        var span = _frame.Slice(_position, count);
        _position += count;
        return span;
    }

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() != 0;

    public short I16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int I32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long I64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public ReadOnlySpan<byte> Binary() => Take(I32());

    public byte[] Blob() => Binary().ToArray();

    public string String() => System.Text.Encoding.UTF8.GetString(Binary());

    /// <summary>Reads a field header; returns false at STOP.</summary>
    public bool Field(out ThriftType type, out short id)
    {
        type = (ThriftType)Byte();
        if (type == ThriftType.Stop)
        {
            id = 0;
            return false;
        }

        id = I16();
        return true;
    }

    public (ThriftType Element, int Count) ListHeader()
    {
        var element = (ThriftType)Byte();
        var count = I32();
        if (count < 0 || count > Remaining)
        {
            throw new ProtocolErrorException($"A thrift list claims {count} elements with {Remaining} bytes left.");
        }

        return (element, count);
    }

    /// <summary>Skips a value of a standard thrift type. Pegasus special types cannot be skipped this way; their fields are decoded by id.</summary>
    public void Skip(ThriftType type, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ProtocolErrorException("Thrift nesting is deeper than any Pegasus message.");
        }

        switch (type)
        {
            case ThriftType.Bool or ThriftType.Byte:
                Take(1);
                break;
            case ThriftType.I16:
                Take(2);
                break;
            case ThriftType.I32:
                Take(4);
                break;
            case ThriftType.I64:
                Take(8);
                break;
            case ThriftType.String:
                Binary();
                break;
            case ThriftType.Struct:
                while (Field(out var fieldType, out _))
                {
                    Skip(fieldType, depth + 1);
                }

                break;
            case ThriftType.List:
                var (element, count) = ListHeader();
                for (var i = 0; i < count; i++)
                {
                    Skip(element, depth + 1);
                }

                break;
            case ThriftType.Map:
                var keyType = (ThriftType)Byte();
                var valueType = (ThriftType)Byte();
                var entries = I32();
                for (var i = 0; i < entries; i++)
                {
                    Skip(keyType, depth + 1);
                    Skip(valueType, depth + 1);
                }

                break;
            default:
                throw new ProtocolErrorException($"Unknown thrift type byte {(byte)type}.");
        }
    }

    /// <summary>A blob-typed field's value if the type byte is right (12), else skips it as the C++ server would treat it as absent.</summary>
    public byte[] BlobOrSkip(ThriftType type)
    {
        if (type == ThriftType.Struct)
        {
            return Blob();
        }

        Skip(type);
        return [];
    }

    public int I32(ThriftType type) => Expect(type, ThriftType.I32) ? I32() : 0;

    public long I64(ThriftType type) => Expect(type, ThriftType.I64) ? I64() : 0;

    public bool Bool(ThriftType type) => Expect(type, ThriftType.Bool) && Bool();

    public string String(ThriftType type) => Expect(type, ThriftType.String) ? String() : "";

    /// <summary>An error_code / task_code field (type 12, string payload).</summary>
    public string ErrorCode(ThriftType type) => Expect(type, ThriftType.Struct) ? String() : "";

    /// <summary>A gpid / rpc_address field (type 12, i64 payload).</summary>
    public long SpecialI64(ThriftType type) => Expect(type, ThriftType.Struct) ? I64() : 0;

    /// <summary>True when the field has the expected type; otherwise skips it (thrift treats it as absent).</summary>
    private bool Expect(ThriftType actual, ThriftType expected)
    {
        if (actual == expected)
        {
            return true;
        }

        Skip(actual);
        return false;
    }

    public List<byte[]> BlobList(ThriftType type)
    {
        if (type != ThriftType.List)
        {
            Skip(type);
            return [];
        }

        var (element, count) = ListHeader();
        var list = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            if (element == ThriftType.Struct)
            {
                list.Add(Blob());
            }
            else
            {
                Skip(element);
            }
        }

        return list;
    }
}
