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
    /// <summary>The line as redis-cli prints it, re-quoted.</summary>
    public override string ToString() =>
        $"{Timestamp:O} [{Database} {Client}] {string.Join(' ', new[] { Command }.Concat(Arguments).Select(a => "\"" + a.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""))}";
}
