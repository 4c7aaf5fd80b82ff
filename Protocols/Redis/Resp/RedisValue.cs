using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// One command argument: text (sent as UTF-8), bytes, an integer or a double. Converts implicitly from each, so
/// typed methods take <c>RedisValue</c> and callers pass what they have without boxing.
/// </summary>
public readonly struct RedisValue : IEquatable<RedisValue>
{
    private readonly object? _reference;
    private readonly long _integer;
    private readonly double _double;
    private readonly Kind _kind;

    private RedisValue(object? reference, long integer, double d, Kind kind)
    {
        _reference = reference;
        _integer = integer;
        _double = d;
        _kind = kind;
    }

    private enum Kind : byte
    {
        Text,
        Bytes,
        Integer,
        Double,
    }

    /// <summary>Text, sent as UTF-8.</summary>
    public static implicit operator RedisValue(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), 0, 0, Kind.Text);

    /// <summary>Raw bytes.</summary>
    public static implicit operator RedisValue(byte[] value) => new(new ReadOnlyMemory<byte>(value ?? throw new ArgumentNullException(nameof(value))), 0, 0, Kind.Bytes);

    /// <summary>Raw bytes.</summary>
    public static implicit operator RedisValue(ReadOnlyMemory<byte> value) => new(value, 0, 0, Kind.Bytes);

    /// <summary>An integer, sent in decimal.</summary>
    public static implicit operator RedisValue(long value) => new(null, value, 0, Kind.Integer);

    /// <summary>An integer, sent in decimal.</summary>
    public static implicit operator RedisValue(int value) => new(null, value, 0, Kind.Integer);

    /// <summary>A double, sent as Redis expects (<c>inf</c>, <c>-inf</c>, shortest round-trip form).</summary>
    public static implicit operator RedisValue(double value) => new(null, 0, value, Kind.Double);

    /// <summary>Equality by encoded bytes.</summary>
    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);

    /// <summary>Inequality by encoded bytes.</summary>
    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);

    /// <summary>Length of the encoded argument in bytes.</summary>
    public int EncodedLength => _kind switch
    {
        Kind.Text => Encoding.UTF8.GetByteCount((string)_reference!),
        Kind.Bytes => ((ReadOnlyMemory<byte>)_reference!).Length,
        Kind.Integer => FormatInteger(stackalloc byte[24]),
        _ => FormatDouble(stackalloc byte[32]),
    };

    /// <summary>Writes the encoded argument.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        switch (_kind)
        {
            case Kind.Text:
                Encoding.UTF8.GetBytes((string)_reference!, output);
                break;
            case Kind.Bytes:
                output.Write(((ReadOnlyMemory<byte>)_reference!).Span);
                break;
            case Kind.Integer:
                Span<byte> digits = stackalloc byte[24];
                output.Write(digits[..FormatInteger(digits)]);
                break;
            default:
                Span<byte> number = stackalloc byte[32];
                output.Write(number[..FormatDouble(number)]);
                break;
        }
    }

    /// <summary>The encoded bytes.</summary>
    public byte[] ToBytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToBytes());

    /// <inheritdoc />
    public bool Equals(RedisValue other) => ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RedisValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(ToBytes());
        return hash.ToHashCode();
    }

    private int FormatInteger(Span<byte> buffer)
    {
        Utf8Formatter.TryFormat(_integer, buffer, out var written);
        return written;
    }

    private int FormatDouble(Span<byte> buffer)
    {
        var text = double.IsPositiveInfinity(_double) ? "inf"
            : double.IsNegativeInfinity(_double) ? "-inf"
            : _double.ToString("R", CultureInfo.InvariantCulture);
        return Encoding.ASCII.GetBytes(text, buffer);
    }
}
