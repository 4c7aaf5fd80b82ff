using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// TSV column encodings of Kyoto Tycoon's RPC bodies: B (Base64), U (URL, lower-case hex), Q (quoted-printable),
/// decoded as the server decodes them and encoded as it expects (padded Base64; every byte outside
/// <c>A–Z a–z 0–9 _ - . ~</c> percent-encoded).
/// </summary>
internal static class ColumnEncoding
{
    /// <summary>
    /// The encoding a body needs: null when every name and value is plain (no control byte, no DEL, and, as the
    /// server also requires for its replies, none longer than 255 bytes when <paramref name="longFieldsNeedIt"/>),
    /// else B when its estimate over the first 255 bytes of each field is strictly shorter than U's.
    /// </summary>
    public static char? Choose(IEnumerable<(byte[] Name, byte[] Value)> entries, bool longFieldsNeedIt = false)
    {
        long base64 = 0, url = 0;
        var needed = false;
        foreach (var (name, value) in entries)
        {
            foreach (var field in new[] { name, value })
            {
                if (field.AsSpan().IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || field.AsSpan().Contains((byte)0x7F) || (longFieldsNeedIt && field.Length > 255))
                {
                    needed = true;
                }

                var head = field.AsSpan(0, Math.Min(field.Length, 255));
                base64 += head.Length * 6 / 4 + 3;
                foreach (var b in head)
                {
                    url += IsUrlPlain(b) ? 1 : 3;
                }
            }
        }

        return !needed ? null : base64 < url ? 'B' : 'U';
    }

    public static string Encode(ReadOnlySpan<byte> value, char encoding) => encoding switch
    {
        'B' => Convert.ToBase64String(value),
        'U' => UrlEncode(value),
        'Q' => QuotedPrintable(value),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Kyoto Tycoon knows colenc B, U and Q."),
    };

    public static byte[] Decode(ReadOnlySpan<byte> text, char? encoding) => char.ToUpperInvariant(encoding ?? ' ') switch
    {
        'B' => Base64Decode(text),
        'U' => UrlDecode(text),
        'Q' => QuotedPrintableDecode(text),
        _ => text.ToArray(),
    };

    /// <summary>Percent-encodes every byte outside <c>A–Z a–z 0–9 _ - . ~</c> with lower-case hex, as the server does.</summary>
    public static string UrlEncode(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder(value.Length * 3);
        foreach (var b in value)
        {
            if (IsUnreserved(b))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append("0123456789abcdef"[b >> 4]).Append("0123456789abcdef"[b & 15]);
            }
        }

        return text.ToString();
    }

    /// <summary>The server's URL decoder: %xx, + as space, and raw control bytes, DEL and bytes &gt;= 0x80 dropped.</summary>
    public static byte[] UrlDecode(ReadOnlySpan<byte> text)
    {
        var output = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '%' && i + 2 < text.Length && Hex(text[i + 1]) is >= 0 and var high && Hex(text[i + 2]) is >= 0 and var low)
            {
                output.Add((byte)(high * 16 + low));
                i += 2;
            }
            else if (b == '+')
            {
                output.Add((byte)' ');
            }
            else if (b > 0x20 && b < 0x7F)
            {
                output.Add(b);
            }
        }

        return [.. output];
    }

    private static byte[] Base64Decode(ReadOnlySpan<byte> text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var b in text)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'=')
            {
                clean.Append((char)b);
            }
        }

        while (clean.Length % 4 != 0)
        {
            clean.Append('=');
        }

        // Padding in the middle ("a==b") or too much of it survives the cleaning: a peer's bad column, not a bug here.
        try
        {
            return Convert.FromBase64String(clean.ToString());
        }
        catch (FormatException e)
        {
            throw new ProtocolErrorException($"A Base64 column (colenc=B) from Kyoto Tycoon is not valid Base64: {e.Message}", e);
        }
    }

    private static string QuotedPrintable(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in value)
        {
            if (b == '=' || b < 0x20 || b > 0x7E)
            {
                text.Append('=').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }

    private static byte[] QuotedPrintableDecode(ReadOnlySpan<byte> text)
    {
        var output = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '=' && i + 2 < text.Length && Hex(text[i + 1]) is >= 0 and var high && Hex(text[i + 2]) is >= 0 and var low)
            {
                output.Add((byte)(high * 16 + low));
                i += 2;
            }
            else if (b == '=' && i + 1 < text.Length && text[i + 1] is (byte)'\n' or (byte)'\r')
            {
                i += text[i + 1] == '\r' && i + 2 < text.Length && text[i + 2] == '\n' ? 2 : 1;
            }
            else if (b >= 0x20 && b < 0x7F)
            {
                output.Add(b);
            }
        }

        return [.. output];
    }

    private static bool IsUnreserved(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'-' or (byte)'.' or (byte)'~';

    private static bool IsUrlPlain(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'-' or (byte)'.' or (byte)'!' or (byte)'~' or (byte)'*' or (byte)'\'' or (byte)'(' or (byte)')';

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
