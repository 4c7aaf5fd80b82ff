namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Reads a time the way Kyoto Cabinet's <c>strmktime</c> does for REST's <c>X-Kt-Xt</c>: decimal epoch seconds
/// (with an optional <c>s</c>/<c>m</c>/<c>h</c>/<c>d</c> unit), <c>0x</c> hex, W3CDTF (<c>2027-01-01T00:00:00+09:00</c>),
/// <c>YYYY/MM/DD hh:mm:ss</c>, or an RFC 1123/822 date. Like the server it is lenient: numbers are read up to the
/// first non-digit and missing parts default to the epoch's.
/// </summary>
internal static class KtTimeText
{
    /// <summary>What the server's parser answers for text that is not a time; callers treat it as "no expiration".</summary>
    public const long Invalid = long.MinValue;

    private static readonly char[] Blank = [' ', '\t', '\r', '\n', '\v', '\f'];

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Epoch seconds, or <see cref="Invalid"/>.</summary>
    public static long Parse(string text)
    {
        var s = text.TrimStart(Blank);
        if (s.Length == 0)
        {
            return Invalid;
        }

        if (s.Length > 1 && s[0] == '0' && s[1] is 'x' or 'X')
        {
            return Hex(s.AsSpan(2));
        }

        var (number, rest) = Integer(s);
        var unit = rest.TrimStart(Blank);
        if (unit.Length == 0)
        {
            return number;
        }

        if (unit.Length == 1 || unit[1] <= ' ')
        {
            switch (unit[0])
            {
                case 's': return number;
                case 'm': return number * 60;
                case 'h': return number * 3600;
                case 'd': return number * 86400;
            }
        }

        return s.Length > 4 && s[4] is '-' or '/' ? Calendar(s, s[4]) : Rfc822(s);
    }

    private static long Hex(ReadOnlySpan<char> digits)
    {
        long value = 0;
        foreach (var c in digits)
        {
            var d = !char.IsAsciiHexDigit(c) ? -1 : c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            if (d < 0)
            {
                break;
            }

            value = unchecked((value << 4) + d);
        }

        return value;
    }

    /// <summary>C's <c>atoi</c>: an optional sign and the digits that follow, and where it stopped.</summary>
    private static (long Value, string Remainder) Integer(string s, int from = 0)
    {
        var i = from;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }

        long value = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            value = unchecked(value * 10 + (s[i] - '0'));
        }

        return (negative ? -value : value, s[i..]);
    }

    private static int Field(string s, int at) => at < s.Length ? (int)Integer(s, at).Value : 0;

    /// <summary>W3CDTF (<c>-</c> separators, <c>T</c> before the time) or the slash form (a space before the time).</summary>
    private static long Calendar(string s, char separator)
    {
        int year = Field(s, 0), month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0;
        if (s.Length > 5)
        {
            month = Field(s, 5);
        }

        if (s.Length > 8 && s[7] == separator)
        {
            day = Field(s, 8);
            var timeMark = separator == '-' ? 'T' : ' ';
            if (s.Length > 11 && s[10] == timeMark)
            {
                hour = Field(s, 11);
                minute = s.Length > 14 && s[13] == ':' ? Field(s, 14) : 0;
                second = s.Length > 17 && s[16] == ':' ? Field(s, 17) : 0;
                offset = ZoneAfterTime(s, 19);
            }
        }

        return Epoch(year, month, day, hour, minute, second) - offset;
    }

    /// <summary>A <c>+hh:mm</c>/<c>-hh:mm</c> suffix after the seconds (and any fraction); <c>Z</c> or nothing is UTC.</summary>
    private static int ZoneAfterTime(string s, int from)
    {
        var i = Math.Min(from, s.Length);
        if (i < s.Length && s[i] == '.')
        {
            i++;
        }

        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i + 6 <= s.Length && s[i] is '+' or '-' && s[i + 3] == ':')
        {
            var seconds = (Field(s, i + 1) * 3600) + (Field(s, i + 4) * 60);
            return s[i] == '+' ? seconds : -seconds;
        }

        return 0;
    }

    /// <summary><c>Sun, 06 Nov 1994 08:49:37 GMT</c>, with or without the weekday, two- or four-digit years, numeric zones.</summary>
    private static long Rfc822(string s)
    {
        var parts = (s.Length > 3 && s[3] == ',' ? s[4..] : s).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !char.IsAsciiDigit(parts[0][0]))
        {
            return Invalid;
        }

        var month = Array.IndexOf(Months, parts[1].ToLowerInvariant()[..Math.Min(3, parts[1].Length)]) + 1;
        if (month == 0)
        {
            return Invalid;
        }

        var year = Field(parts[2], 0);
        year += year < 100 ? (year < 69 ? 2000 : 1900) : 0;
        int hour = 0, minute = 0, second = 0, offset = 0;
        if (parts.Length > 3)
        {
            var clock = parts[3].Split(':');
            hour = Field(clock[0], 0);
            minute = clock.Length > 1 ? Field(clock[1], 0) : 0;
            second = clock.Length > 2 ? Field(clock[2], 0) : 0;
        }

        if (parts.Length > 4 && parts[4].Length == 5 && parts[4][0] is '+' or '-')
        {
            var seconds = (Field(parts[4], 1) / 100 * 3600) + (Field(parts[4], 1) % 100 * 60);
            offset = parts[4][0] == '+' ? seconds : -seconds;
        }

        return Epoch(year, month, Field(parts[0], 0), hour, minute, second) - offset;
    }

    /// <summary>Like <c>timegm</c>: out-of-range fields roll over instead of failing.</summary>
    private static long Epoch(int year, int month, int day, int hour, int minute, int second)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12)
        {
            return Invalid;
        }

        var date = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        var seconds = (long)(date - DateTime.UnixEpoch).TotalSeconds;
        return seconds + ((day - 1) * 86400L) + (hour * 3600L) + (minute * 60L) + second;
    }
}
