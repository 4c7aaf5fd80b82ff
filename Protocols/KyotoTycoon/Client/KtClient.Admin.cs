using System.Globalization;
using System.Reactive;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <summary><c>play_script</c>: runs a server-side script procedure; inputs go as <c>_name</c>, outputs come back without the underscore.</summary>
    public Deferred<IReadOnlyDictionary<string, byte[]>> PlayScript(string name, IReadOnlyDictionary<string, byte[]> input) =>
        Rpc("play_script", [("name", Encoding.UTF8.GetBytes(name)), .. input.Select(p => ("_" + p.Key, p.Value))],
            (_, o) => o.OrThrow((IReadOnlyDictionary<string, byte[]>)o.Underscored.ToDictionary(e => Encoding.Latin1.GetString(e.Key), e => e.Value)));

    /// <summary>
    /// Binary <c>play_script</c> (0xB4): names go as they are (no underscore). A failed script is a
    /// <see cref="KtException"/> and the connection stays usable; with <paramref name="noReply"/> it fires null at once.
    /// </summary>
    public Deferred<IReadOnlyDictionary<string, byte[]>?> PlayScriptBinary(string name, IReadOnlyDictionary<string, byte[]> input, bool noReply = false)
    {
        var records = input.Select(p => (Encoding.Latin1.GetBytes(p.Key), p.Value)).ToList();
        return Binary(output => BinaryProtocol.WritePlayScript(output, name, noReply, records), KtConnection.Kind.BinaryScript, BinaryProtocol.PlayScript, noReply,
            r => (IReadOnlyDictionary<string, byte[]>?)((List<(byte[] Key, byte[] Value)>)r).ToDictionary(e => Encoding.Latin1.GetString(e.Key), e => e.Value));
    }

    /// <summary><c>tune_replication</c>: makes the server a slave of <paramref name="host"/> (null stops replicating) from a timestamp, polling at an interval.</summary>
    public Deferred<Unit> TuneReplication(string? host, int? port = null, ulong? timestamp = null, TimeSpan? interval = null)
    {
        var input = new List<(string, byte[])>();
        if (host is not null)
        {
            input.Add(("host", Encoding.UTF8.GetBytes(host)));
        }

        if (port is { } p)
        {
            input.Add(("port", Ascii(p)));
        }

        if (timestamp is { } ts)
        {
            input.Add(("ts", Encoding.ASCII.GetBytes(ts.ToString(CultureInfo.InvariantCulture))));
        }

        if (interval is { } iv)
        {
            input.Add(("iv", Encoding.ASCII.GetBytes(iv.TotalSeconds.ToString(CultureInfo.InvariantCulture))));
        }

        return Rpc("tune_replication", input, (_, o) => o.OrThrow(Unit.Default));
    }

    /// <summary>
    /// <c>ulog_list</c> (undocumented): the server's update-log files, oldest first. A server started without
    /// <c>-ulog</c> answers 400, a <see cref="KtException"/>.
    /// </summary>
    public Deferred<IReadOnlyList<KtUpdateLogFile>> UpdateLogFiles() =>
        Rpc("ulog_list", [], (_, o) => o.OrThrow((IReadOnlyList<KtUpdateLogFile>)[.. o.Map.Select(File).OrderBy(f => f.LastTimestamp)]));

    /// <summary>
    /// <c>ulog_remove</c> (undocumented): deletes update-log files whose newest record is at or before
    /// <paramref name="upTo"/> (null: all of them), never the newest file. Slaves behind that point lose those records.
    /// </summary>
    public Deferred<Unit> RemoveUpdateLogFiles(ulong? upTo = null) =>
        Rpc("ulog_remove", upTo is { } ts ? [("ts", Encoding.ASCII.GetBytes(ts.ToString(CultureInfo.InvariantCulture)))] : [], (_, o) => o.OrThrow(Unit.Default));

    private static KtUpdateLogFile File(KeyValuePair<string, string> entry)
    {
        var colon = entry.Value.IndexOf(':', StringComparison.Ordinal);
        return new KtUpdateLogFile(
            entry.Key,
            long.Parse(entry.Value.AsSpan(0, Math.Max(colon, 0)), CultureInfo.InvariantCulture),
            ulong.Parse(entry.Value.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }

    /// <summary><c>synchronize</c>: flushes the database to its device (<paramref name="hard"/>: physically), then optionally runs a server command.</summary>
    public Deferred<Unit> Synchronize(bool hard = false, string? command = null) =>
        Rpc("synchronize", [.. hard ? [("hard", Array.Empty<byte>())] : Array.Empty<(string, byte[])>(), .. command is null ? [] : new[] { ("command", Encoding.UTF8.GetBytes(command)) }],
            (_, o) => o.OrThrow(Unit.Default));

    /// <summary><c>match_similar</c>: keys within Levenshtein distance <paramref name="range"/> of <paramref name="origin"/> (by UTF-8 characters with <paramref name="utf"/>).</summary>
    public Deferred<IReadOnlyList<byte[]>> MatchSimilar(byte[] origin, long range = 1, bool utf = false, long? max = null) =>
        Rpc("match_similar", [("origin", origin), ("range", Ascii(range)), .. utf ? [("utf", Array.Empty<byte>())] : Array.Empty<(string, byte[])>(), .. Max(max)],
            (_, o) => o.OrThrow(Ordered(o)));
}
