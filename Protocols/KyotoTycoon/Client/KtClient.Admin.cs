using System.Globalization;
using System.Reactive;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public Deferred<IReadOnlyDictionary<string, byte[]>> PlayScript(string name, IReadOnlyDictionary<string, byte[]> input, CancellationToken cancellationToken = default) =>
        Rpc("play_script", [("name", Encoding.UTF8.GetBytes(name)), .. input.Select(p => ("_" + p.Key, p.Value))],
            (_, o) => o.OrThrow((IReadOnlyDictionary<string, byte[]>)o.Underscored.ToDictionary(e => Encoding.Latin1.GetString(e.Key), e => e.Value)), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyDictionary<string, byte[]>?> PlayScriptBinary(string name, IReadOnlyDictionary<string, byte[]> input, bool noReply = false, CancellationToken cancellationToken = default)
    {
        var records = input.Select(p => (Encoding.Latin1.GetBytes(p.Key), p.Value)).ToList();
        return Binary(output => BinaryProtocol.WritePlayScript(output, name, noReply, records), KtConnection.Kind.BinaryScript, BinaryProtocol.PlayScript, noReply,
            r => (IReadOnlyDictionary<string, byte[]>?)((List<(byte[] Key, byte[] Value)>)r).ToDictionary(e => Encoding.Latin1.GetString(e.Key), e => e.Value), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<Unit> TuneReplication(string? host, int? port = null, ulong? timestamp = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
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

        return Rpc("tune_replication", input, (_, o) => o.OrThrow(Unit.Default), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<IReadOnlyList<KtUpdateLogFile>> UpdateLogFiles(CancellationToken cancellationToken = default) =>
        Rpc("ulog_list", [], (_, o) => o.OrThrow((IReadOnlyList<KtUpdateLogFile>)[.. o.Map.Select(File).OrderBy(f => f.LastTimestamp)]), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> RemoveUpdateLogFiles(ulong? upTo = null, CancellationToken cancellationToken = default) =>
        Rpc("ulog_remove", upTo is { } ts ? [("ts", Encoding.ASCII.GetBytes(ts.ToString(CultureInfo.InvariantCulture)))] : [], (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    private static KtUpdateLogFile File(KeyValuePair<string, string> entry)
    {
        var colon = entry.Value.IndexOf(':', StringComparison.Ordinal);
        return new KtUpdateLogFile(
            entry.Key,
            long.Parse(entry.Value.AsSpan(0, Math.Max(colon, 0)), CultureInfo.InvariantCulture),
            ulong.Parse(entry.Value.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public Deferred<Unit> Synchronize(bool hard = false, string? command = null, CancellationToken cancellationToken = default) =>
        Rpc("synchronize", [.. hard ? [("hard", Array.Empty<byte>())] : Array.Empty<(string, byte[])>(), .. command is null ? [] : new[] { ("command", Encoding.UTF8.GetBytes(command)) }],
            (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyList<byte[]>> MatchSimilar(byte[] origin, long range = 1, bool utf = false, long? max = null, CancellationToken cancellationToken = default) =>
        Rpc("match_similar", [("origin", origin), ("range", Ascii(range)), .. utf ? [("utf", Array.Empty<byte>())] : Array.Empty<(string, byte[])>(), .. Max(max)],
            (_, o) => o.OrThrow(Ordered(o)), cancellationToken);
}
