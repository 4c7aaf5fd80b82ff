using System.Globalization;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// Reads MONITOR lines: <c>SECONDS.MICROS [DB CLIENT] "arg" "arg" …</c>, where each argument is in the server's
/// repr form (sdscatrepr): printable ASCII as is, <c>\"</c> <c>\\</c> <c>\n</c> <c>\r</c> <c>\t</c> <c>\a</c>
/// <c>\b</c>, and <c>\xHH</c> for any other byte.
/// </summary>
internal static class RedisMonitorParser
{
    /// <summary>The parsed line, or false for a line that is not a monitor line (e.g. the OK of MONITOR itself).</summary>
    public static bool TryParse(string line, out RedisMonitorLine? result)
    {
        result = null;
        var open = line.IndexOf(" [", StringComparison.Ordinal);
        if (open <= 0 || !TryTimestamp(line.AsSpan(0, open), out var timestamp))
        {
            return false;
        }

        var close = line.IndexOf("] ", open, StringComparison.Ordinal);
        if (close < 0)
        {
            // A command with no arguments still ends its bracket with "] "; tolerate a bare "]" at the end.
            close = line.EndsWith(']') ? line.Length - 1 : -1;
            if (close < 0)
            {
                return false;
            }
        }

        var inside = line.AsSpan(open + 2, close - open - 2);
        var space = inside.IndexOf(' ');
        if (space <= 0 || !int.TryParse(inside[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var database))
        {
            return false;
        }

        var client = inside[(space + 1)..].ToString();
        var arguments = new List<string>();
        var position = close + 1;
        var bytes = new List<byte>();
        while (position < line.Length)
        {
            if (line[position] == ' ')
            {
                position++;
                continue;
            }

            if (line[position] != '"' || !TryQuoted(line, ref position, bytes))
            {
                return false;
            }

            arguments.Add(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }

        if (arguments.Count == 0)
        {
            return false;
        }

        result = new RedisMonitorLine(timestamp, database, client, arguments[0], [.. arguments.Skip(1)]);
        return true;
    }

    /// <summary><c>1339518083.107412</c>: whole seconds and microseconds, read as integers so no precision is lost.</summary>
    private static bool TryTimestamp(ReadOnlySpan<char> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var dot = text.IndexOf('.');
        var secondsText = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? [] : text[(dot + 1)..];
        if (!long.TryParse(secondsText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || fraction.Length > 7)
        {
            return false;
        }

        long ticks = 0;
        if (fraction.Length > 0)
        {
            if (!long.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
            {
                return false;
            }

            // Scale the fraction to 100 ns ticks whatever its number of digits (the server prints six).
            ticks = digits;
            for (var i = fraction.Length; i < 7; i++)
            {
                ticks *= 10;
            }
        }

        timestamp = DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + ticks);
        return true;
    }

    private static bool TryQuoted(string line, ref int position, List<byte> bytes)
    {
        position++;
        while (position < line.Length)
        {
            var c = line[position++];
            if (c == '"')
            {
                return true;
            }

            if (c != '\\')
            {
                // Everything unescaped is printable ASCII; anything else is kept as its UTF-8 bytes.
                if (c < 0x80)
                {
                    bytes.Add((byte)c);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }

                continue;
            }

            if (position >= line.Length)
            {
                return false;
            }

            var escaped = line[position++];
            switch (escaped)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'x' when position + 2 <= line.Length && byte.TryParse(line.AsSpan(position, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b):
                    bytes.Add(b);
                    position += 2;
                    break;
                default:
                    // \" and \\, and any escape a later server may add: the character itself.
                    bytes.Add((byte)escaped);
                    break;
            }
        }

        return false;
    }
}
