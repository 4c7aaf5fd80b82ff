using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// TSV-RPC bodies: one <c>name TAB value LF</c> line per entry, both sides column-encoded when the Content-Type
/// says <c>colenc=B|U|Q</c>. Lines without a TAB are ignored (so flags go out as <c>name TAB</c>); a CR before the
/// LF is dropped; the value runs to the end of the line, further TABs included.
/// </summary>
internal static class TsvBody
{
    public const string ContentType = "text/tab-separated-values";

    public static (byte[] Body, string ContentType) Format(IReadOnlyList<(byte[] Name, byte[] Value)> entries, bool asServer = false)
    {
        var encoding = ColumnEncoding.Choose(entries, asServer);
        var body = new List<byte>();
        foreach (var (name, value) in entries)
        {
            Append(body, name, encoding);
            body.Add((byte)'\t');
            Append(body, value, encoding);
            body.Add((byte)'\n');
        }

        return ([.. body], encoding is { } e ? $"{ContentType}; colenc={e}" : ContentType);
    }

    public static List<(byte[] Name, byte[] Value)> Parse(ReadOnlySpan<byte> body, char? encoding)
    {
        var entries = new List<(byte[], byte[])>();
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'\n');
            var line = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            var tab = line.IndexOf((byte)'\t');
            if (tab < 0)
            {
                continue;
            }

            entries.Add((ColumnEncoding.Decode(line[..tab], encoding), ColumnEncoding.Decode(line[(tab + 1)..], encoding)));
        }

        return entries;
    }

    /// <summary>The colenc letter of a Content-Type (first letter of the attribute's value, an opening quote tolerated), or null.</summary>
    public static char? ColumnEncodingOf(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        foreach (var part in contentType.Split(';').Skip(1))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("colenc", StringComparison.OrdinalIgnoreCase))
            {
                var value = pair[1].Trim().TrimStart('"');
                if (value.Length > 0 && char.ToUpperInvariant(value[0]) is 'B' or 'U' or 'Q')
                {
                    return char.ToUpperInvariant(value[0]);
                }
            }
        }

        return null;
    }

    private static void Append(List<byte> body, byte[] field, char? encoding)
    {
        if (encoding is { } e)
        {
            body.AddRange(Encoding.ASCII.GetBytes(ColumnEncoding.Encode(field, e)));
        }
        else
        {
            body.AddRange(field);
        }
    }
}
