using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Reads the tokens of one frame body (spec §3) as strictly as the server does: every field must be present and
/// well formed and the body consumed exactly (<see cref="ExpectEnd"/>); anything else throws
/// <see cref="ProtocolErrorException"/>.
/// </summary>
internal ref struct KeyspaceBodyReader
{
    // 18446744073709551615 has 20 digits; more can only overflow (leading zeros are allowed but bounded here).
    private const int MaxDigits = 20;

    private SequenceReader<byte> _reader;

    /// <summary>Reads <paramref name="body"/> from its first byte.</summary>
    public KeyspaceBodyReader(ReadOnlySequence<byte> body) => _reader = new SequenceReader<byte>(body);

    /// <summary>True when every byte of the body was read.</summary>
    public readonly bool End => _reader.End;

    /// <summary>Reads the type byte that opens every body.</summary>
    public byte ReadType()
    {
        if (!_reader.TryRead(out var type))
        {
            throw Malformed("an empty body has no type letter");
        }

        return type;
    }

    /// <summary>Reads <c>:&lt;decimal id&gt;</c>; the id ends at the next ':' or at the end of the body.</summary>
    public ulong ReadId()
    {
        ExpectColon("id");
        return ReadDigits("id", stopAtEnd: true);
    }

    /// <summary>Reads <c>:&lt;len&gt;:&lt;bytes&gt;</c> and returns the bytes as a slice of the body.</summary>
    public ReadOnlySequence<byte> ReadString(string what)
    {
        ExpectColon(what);
        var length = ReadDigits(what, stopAtEnd: false);
        ExpectColon(what);
        if ((ulong)_reader.Remaining < length)
        {
            throw Malformed($"the {what} announces {length} bytes but only {_reader.Remaining} remain");
        }

        var value = _reader.UnreadSequence.Slice(0, (long)length);
        _reader.Advance((long)length);
        return value;
    }

    /// <summary>Reads a string token and copies its bytes out, so they outlive the receive buffer.</summary>
    public byte[] ReadBytes(string what) => ReadString(what).ToArray();

    /// <summary>Reads a numeric string token of digits only (count, offset, expiry seconds, a count reply).</summary>
    public ulong ReadUnsigned(string what)
    {
        var inner = new KeyspaceBodyReader(ReadString(what));
        var value = inner.ReadDigits(what, stopAtEnd: true);
        inner.ExpectEnd();
        return value;
    }

    /// <summary>
    /// Reads a signed numeric string token (the add delta, an add reply): an optional '-' and digits. Magnitudes past
    /// the signed range wrap as the server's parser does, so the C library's unsigned form of a negative delta
    /// (-3 sent as 18446744073709551613) reads back as -3 (§7.3).
    /// </summary>
    public long ReadSigned(string what)
    {
        var inner = new KeyspaceBodyReader(ReadString(what));
        var negative = inner._reader.IsNext((byte)'-', advancePast: true);
        var magnitude = inner.ReadDigits(what, stopAtEnd: true);
        inner.ExpectEnd();
        return unchecked(negative ? -(long)magnitude : (long)magnitude);
    }

    /// <summary>Reads a direction token, <c>1:f</c> (false) or <c>1:b</c> (true: backward).</summary>
    public bool ReadBackward()
    {
        var token = ReadString("direction");
        if (token.Length != 1 || (token.FirstSpan[0] != (byte)'f' && token.FirstSpan[0] != (byte)'b'))
        {
            throw Malformed("the direction must be the single byte 'f' or 'b'");
        }

        return token.FirstSpan[0] == (byte)'b';
    }

    /// <summary>Throws unless every byte of the body was read (trailing bytes are an error, §3).</summary>
    public readonly void ExpectEnd()
    {
        if (!_reader.End)
        {
            throw Malformed($"{_reader.Remaining} bytes follow the last field");
        }
    }

    /// <summary>The exception for a body that breaks the grammar, naming what was wrong.</summary>
    public static ProtocolErrorException Malformed(string why) => new($"Malformed Keyspace frame body: {why}.");

    private void ExpectColon(string what)
    {
        if (!_reader.IsNext((byte)':', advancePast: true))
        {
            throw Malformed(_reader.End ? $"the {what} is missing" : $"a ':' must come before the {what}");
        }
    }

    private ulong ReadDigits(string what, bool stopAtEnd)
    {
        ulong value = 0;
        var digits = 0;
        while (_reader.TryPeek(out var b) && b is >= (byte)'0' and <= (byte)'9')
        {
            _reader.Advance(1);
            if (++digits > MaxDigits || value > (ulong.MaxValue - (ulong)(b - '0')) / 10)
            {
                throw Malformed($"the {what} does not fit in 64 bits");
            }

            value = (value * 10) + (ulong)(b - '0');
        }

        if (digits == 0 || (_reader.End ? !stopAtEnd : !_reader.IsNext((byte)':')))
        {
            throw Malformed($"the {what} must be decimal digits");
        }

        return value;
    }
}
