using System.Globalization;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// One command the server ran, as MONITOR reports it: <c>1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"</c>.
/// </summary>
/// <param name="Timestamp">When the server ran it (microsecond precision, UTC).</param>
/// <param name="Database">The database it ran in.</param>
/// <param name="Client">Who sent it: <c>host:port</c>, <c>unix:/path</c>, or <c>lua</c> for a script's own commands.</param>
/// <param name="Command">The command name as the client sent it (e.g. <c>set</c> or <c>SET</c>).</param>
/// <param name="Arguments">The arguments, with the server's quoting and escapes decoded (binary bytes read as UTF-8).</param>
public sealed record RedisMonitorLine(DateTimeOffset Timestamp, int Database, string Client, string Command, string[] Arguments)
{
    /// <summary>The line as the server sends it (and redis-cli prints it): <c>1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"</c>.</summary>
    public override string ToString()
    {
        var micros = (Timestamp - DateTimeOffset.UnixEpoch).Ticks / 10;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6} [{Database} {Client}]");
        foreach (var argument in new[] { Command }.Concat(Arguments))
        {
            text.Append(' ');
            Quote(text, argument);
        }

        return text.ToString();
    }

    /// <summary>The server's repr quoting: the escapes <see cref="Arguments"/> had decoded, put back.</summary>
    private static void Quote(StringBuilder text, string argument)
    {
        text.Append('"');
        foreach (var b in Encoding.UTF8.GetBytes(argument))
        {
            text.Append(b switch
            {
                (byte)'\\' => "\\\\",
                (byte)'"' => "\\\"",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                7 => "\\a",
                8 => "\\b",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            });
        }

        text.Append('"');
    }
}
