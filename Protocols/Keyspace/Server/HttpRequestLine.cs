using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// The parts of an HTTP API request the server looks at (§11.1): the mode (<c>""</c>, <c>html</c>, <c>json</c>),
/// the command and the %XX-decoded parameters (<c>+</c> stays a plus). The method is not checked.
/// </summary>
internal sealed record HttpRequestLine(string Mode, string Command, Dictionary<string, byte[]> Parameters)
{
    /// <summary>Reads <c>METHOD target VERSION</c>; null when the line has no target.</summary>
    public static HttpRequestLine? Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return null;
        }

        var target = parts[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = (question < 0 ? target : target[..question]).Trim('/');
        var query = question < 0 ? "" : target[(question + 1)..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var (mode, command) = slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
        return new HttpRequestLine(mode, command, ParseQuery(query));
    }

    private static Dictionary<string, byte[]> ParseQuery(string query)
    {
        var parameters = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Encoding.Latin1.GetString(Decode(equals < 0 ? pair : pair[..equals]));
            parameters[name] = equals < 0 ? [] : Decode(pair[(equals + 1)..]);
        }

        return parameters;
    }

    private static byte[] Decode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }

        return [.. bytes];
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
