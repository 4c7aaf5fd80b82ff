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
    // Two fields keep the struct at 16 bytes: the reference says what the value is (string: text; byte[]: bytes,
    // with offset and length packed in _bits; null: an integer in _bits; DoubleMarker: a double's bits; a boxed
    // ReadOnlyMemory: memory that is not an array).
    private static readonly object DoubleMarker = new();

    private readonly object? _reference;
    private readonly long _bits;

    private RedisValue(object? reference, long bits)
    {
        _reference = reference;
        _bits = bits;
    }

    /// <summary>Text, sent as UTF-8.</summary>
    public static implicit operator RedisValue(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), 0);

    /// <summary>Raw bytes.</summary>
    public static implicit operator RedisValue(byte[] value) => new(value ?? throw new ArgumentNullException(nameof(value)), value.Length);

    /// <summary>Raw bytes.</summary>
    public static implicit operator RedisValue(ReadOnlyMemory<byte> value) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(value, out var segment)
            ? new(segment.Array!, ((long)segment.Offset << 32) | (uint)segment.Count)
            : new(value, 0);

    /// <summary>An integer, sent in decimal.</summary>
    public static implicit operator RedisValue(long value) => new(null, value);

    /// <summary>An integer, sent in decimal.</summary>
    public static implicit operator RedisValue(int value) => new(null, value);

    /// <summary>A double, sent as Redis expects (<c>inf</c>, <c>-inf</c>, shortest round-trip form).</summary>
    public static implicit operator RedisValue(double value) => new(DoubleMarker, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Equality by encoded bytes.</summary>
    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);

    /// <summary>Inequality by encoded bytes.</summary>
    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);

    /// <summary>Length of the encoded argument in bytes.</summary>
    public int EncodedLength => _reference switch
    {
        string text => Encoding.UTF8.GetByteCount(text),
        byte[] => (int)(uint)_bits,
        null => FormatInteger(stackalloc byte[24]),
        ReadOnlyMemory<byte> memory => memory.Length,
        _ => FormatDouble(stackalloc byte[32]),
    };

    /// <summary>Writes the encoded argument.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        switch (_reference)
        {
            case string text:
                Encoding.UTF8.GetBytes(text, output);
                break;
            case byte[] bytes:
                output.Write(bytes.AsSpan((int)(_bits >> 32), (int)(uint)_bits));
                break;
            case ReadOnlyMemory<byte> memory:
                output.Write(memory.Span);
                break;
            default:
                Span<byte> scratch = stackalloc byte[32];
                output.Write(scratch[..CopyTo(scratch)]);
                break;
        }
    }

    /// <summary>Writes the encoded argument into <paramref name="destination"/>, which holds at least <see cref="EncodedLength"/> bytes; returns the count.</summary>
    internal int CopyTo(Span<byte> destination)
    {
        switch (_reference)
        {
            case string text:
                return Encoding.UTF8.GetBytes(text, destination);
            case byte[] bytes:
                var span = bytes.AsSpan((int)(_bits >> 32), (int)(uint)_bits);
                span.CopyTo(destination);
                return span.Length;
            case ReadOnlyMemory<byte> memory:
                memory.Span.CopyTo(destination);
                return memory.Length;
            case null:
                return FormatInteger(destination);
            default:
                return FormatDouble(destination);
        }
    }

    /// <summary>
    /// The encoded bytes without a copy when the value already holds them (bytes, memory); false for text and
    /// numbers, which must be encoded first (<see cref="CopyTo"/>).
    /// </summary>
    internal bool TryGetSpan(out ReadOnlySpan<byte> span)
    {
        switch (_reference)
        {
            case byte[] bytes:
                span = bytes.AsSpan((int)(_bits >> 32), (int)(uint)_bits);
                return true;
            case ReadOnlyMemory<byte> memory:
                span = memory.Span;
                return true;
            default:
                span = default;
                return false;
        }
    }

    /// <summary>The text of a string value (the wire form is its UTF-8), or null for any other kind.</summary>
    internal string? AsText => _reference as string;

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
        Utf8Formatter.TryFormat(_bits, buffer, out var written);
        return written;
    }

    private int FormatDouble(Span<byte> buffer)
    {
        var value = BitConverter.Int64BitsToDouble(_bits);
        var text = double.IsPositiveInfinity(value) ? "inf"
            : double.IsNegativeInfinity(value) ? "-inf"
            : value.ToString("R", CultureInfo.InvariantCulture);
        return Encoding.ASCII.GetBytes(text, buffer);
    }
}
