using System.Buffers;
using System.Buffers.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Writes body tokens (spec §3) with ASCII decimal lengths. The frame's length comes first on the wire, so a body is
/// laid out twice: once with no output, only adding up its length, then into the output. This keeps one description
/// of each body instead of a separate size formula that could drift from it.
/// </summary>
internal ref struct KeyspaceBodyWriter
{
    private readonly IBufferWriter<byte>? _output;

    private KeyspaceBodyWriter(IBufferWriter<byte>? output) => _output = output;

    /// <summary>The number of bytes laid out so far.</summary>
    public long Length { get; private set; }

    /// <summary>A writer that only measures.</summary>
    public static KeyspaceBodyWriter Measuring() => new(null);

    /// <summary>A writer into <paramref name="output"/>.</summary>
    public static KeyspaceBodyWriter Into(IBufferWriter<byte> output) => new(output);

    /// <summary>The type letter that opens the body.</summary>
    public void Type(byte letter) => Raw([letter]);

    /// <summary><c>:&lt;id&gt;</c>.</summary>
    public void Id(ulong id)
    {
        Raw(":"u8);
        Decimal(id);
    }

    /// <summary><c>:&lt;len&gt;:&lt;bytes&gt;</c>.</summary>
    public void String(scoped ReadOnlySpan<byte> value)
    {
        Raw(":"u8);
        Decimal((ulong)value.Length);
        Raw(":"u8);
        Raw(value);
    }

    /// <summary>A numeric string token of digits only (count, offset, seconds).</summary>
    public void Unsigned(ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        String(digits[..written]);
    }

    /// <summary>A signed numeric string token (the add delta; an add reply): '-' for negatives, never '+'.</summary>
    public void Signed(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        String(digits[..written]);
    }

    /// <summary>A direction token: <c>1:b</c> backward, <c>1:f</c> forward.</summary>
    public void Direction(bool backward) => String(backward ? "b"u8 : "f"u8);

    /// <summary>Bytes as they are (also the frame's length prefix).</summary>
    public void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        Length += bytes.Length;
        if (_output is not null && !bytes.IsEmpty)
        {
            _output.Write(bytes);
        }
    }

    /// <summary>An unsigned number as ASCII decimal, without a length.</summary>
    public void Decimal(ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        Raw(digits[..written]);
    }
}
