using System.Globalization;
using System.Reactive;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public Deferred<Unit> Void(CancellationToken cancellationToken = default) => Rpc("void", [], (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyDictionary<string, string>> Echo(IReadOnlyDictionary<string, string> input, CancellationToken cancellationToken = default) =>
        Rpc("echo", input.Select(p => (p.Key, Encoding.UTF8.GetBytes(p.Value))), (_, o) => o.OrThrow(o.Map), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyDictionary<string, string>> Report(CancellationToken cancellationToken = default) => Rpc("report", [], (_, o) => o.OrThrow(o.Map), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyDictionary<string, string>> Status(CancellationToken cancellationToken = default) => Rpc("status", [], (_, o) => o.OrThrow(o.Map), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Clear(CancellationToken cancellationToken = default) => Rpc("clear", [], (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Set(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Rpc("set", Record(key, value, expiry), (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Add(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Rpc("add", Record(key, value, expiry), (_, o) => o.Logical ? false : o.OrThrow(true), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Replace(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Rpc("replace", Record(key, value, expiry), (_, o) => o.Logical ? false : o.OrThrow(true), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Append(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Rpc("append", Record(key, value, expiry), (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    /// <inheritdoc />
    public Deferred<long> Increment(byte[] key, long num, KtIncrementOrigin orig = default, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Rpc("increment", With(expiry, ("key", key), ("num", Ascii(num)), ("orig", Encoding.ASCII.GetBytes(orig.WireValue))), (_, o) => o.OrThrow(0L) + o.Long("num"), cancellationToken);

    /// <inheritdoc />
    public Deferred<decimal> IncrementDouble(byte[] key, decimal num, KtIncrementOrigin orig = default, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Rpc("increment_double", With(expiry, ("key", key), ("num", Ascii(num)), ("orig", Encoding.ASCII.GetBytes(orig.WireValue))),
            (_, o) => o.OrThrow(0m) + decimal.Parse(o.Text("num")!, CultureInfo.InvariantCulture), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Cas(byte[] key, byte[]? oldValue, byte[]? newValue, KtExpiry expiry = default, CancellationToken cancellationToken = default)
    {
        var input = new List<(string, byte[])> { ("key", key) };
        if (oldValue is not null)
        {
            input.Add(("oval", oldValue));
        }

        if (newValue is not null)
        {
            input.Add(("nval", newValue));
        }

        return Rpc("cas", With(expiry, [.. input]), (_, o) => o.Logical ? false : o.OrThrow(true), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<bool> Remove(byte[] key, CancellationToken cancellationToken = default) => Rpc("remove", [("key", key)], (_, o) => o.Logical ? false : o.OrThrow(true), cancellationToken);

    /// <inheritdoc />
    public Deferred<KtRecord?> Get(byte[] key, CancellationToken cancellationToken = default) =>
        Rpc("get", [("key", key)], (_, o) => o.Logical ? null : o.OrThrow(new KtRecord(key, o.Bytes("value") ?? [], o.Expiry)), cancellationToken);

    /// <inheritdoc />
    public Deferred<long?> Check(byte[] key, CancellationToken cancellationToken = default) => Rpc("check", [("key", key)], (_, o) => o.Logical ? null : o.OrThrow((long?)o.Long("vsiz")), cancellationToken);

    /// <inheritdoc />
    public Deferred<KtRecord?> Seize(byte[] key, CancellationToken cancellationToken = default) =>
        Rpc("seize", [("key", key)], (_, o) => o.Logical ? null : o.OrThrow(new KtRecord(key, o.Bytes("value") ?? [], o.Expiry)), cancellationToken);

    /// <inheritdoc />
    public Deferred<long> SetBulk(IEnumerable<KeyValuePair<byte[], byte[]>> records, KtExpiry expiry = default, bool atomic = false, CancellationToken cancellationToken = default) =>
        Rpc("set_bulk", With(expiry, [.. Flags(atomic), .. records.Select(r => ("_" + Latin(r.Key), r.Value))]), (_, o) => o.OrThrow(0L) + o.Long("num"), cancellationToken);

    /// <inheritdoc />
    public Deferred<long> RemoveBulk(IEnumerable<byte[]> keys, bool atomic = false, CancellationToken cancellationToken = default) =>
        Rpc("remove_bulk", [.. Flags(atomic), .. keys.Select(k => ("_" + Latin(k), Array.Empty<byte>()))], (_, o) => o.OrThrow(0L) + o.Long("num"), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyList<KtRecord>> GetBulk(IEnumerable<byte[]> keys, bool atomic = false, CancellationToken cancellationToken = default) =>
        Rpc("get_bulk", [.. Flags(atomic), .. keys.Select(k => ("_" + Latin(k), Array.Empty<byte>()))],
            (_, o) => o.OrThrow((IReadOnlyList<KtRecord>)[.. o.Underscored.Select(e => new KtRecord(e.Key, e.Value, null))]), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Vacuum(long? step = null, CancellationToken cancellationToken = default) =>
        Rpc("vacuum", step is { } s ? [("step", Ascii(s))] : [], (_, o) => o.OrThrow(Unit.Default), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyList<byte[]>> MatchPrefix(byte[] prefix, long? max = null, CancellationToken cancellationToken = default) =>
        Rpc("match_prefix", [("prefix", prefix), .. Max(max)], (_, o) => o.OrThrow(Ordered(o)), cancellationToken);

    /// <inheritdoc />
    public Deferred<IReadOnlyList<byte[]>> MatchRegex(string regex, long? max = null, CancellationToken cancellationToken = default) =>
        Rpc("match_regex", [("regex", Encoding.UTF8.GetBytes(regex)), .. Max(max)], (_, o) => o.OrThrow(Ordered(o)), cancellationToken);

    private static IReadOnlyList<byte[]> Ordered(Output output) =>
        [.. output.Underscored.OrderBy(e => long.Parse(Encoding.ASCII.GetString(e.Value), CultureInfo.InvariantCulture)).Select(e => e.Key)];

    private static IEnumerable<(string, byte[])> Record(byte[] key, byte[] value, KtExpiry expiry) => With(expiry, ("key", key), ("value", value));

    private static List<(string, byte[])> With(KtExpiry expiry, params (string, byte[])[] input)
    {
        var list = input.ToList();
        if (expiry.RpcValue is { } xt)
        {
            list.Add(("xt", Encoding.ASCII.GetBytes(xt)));
        }

        return list;
    }

    private static IEnumerable<(string, byte[])> Flags(bool atomic) => atomic ? [("atomic", [])] : [];

    private static IEnumerable<(string, byte[])> Max(long? max) => max is { } m ? [("max", Ascii(m))] : [];

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static byte[] Ascii(decimal value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    // Bulk names carry the key after "_"; Latin-1 maps every byte to one char and back, so binary keys survive.
    private static string Latin(byte[] key) => Encoding.Latin1.GetString(key);
}
