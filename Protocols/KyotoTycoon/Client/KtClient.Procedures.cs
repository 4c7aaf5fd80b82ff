using System.Globalization;
using System.Reactive;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <summary><c>void</c>: a round trip that does nothing.</summary>
    public Deferred<Unit> Void() => Rpc("void", [], (_, o) => o.OrThrow(Unit.Default));

    /// <summary><c>echo</c>: the server returns the input map as it received it.</summary>
    public Deferred<IReadOnlyDictionary<string, string>> Echo(IReadOnlyDictionary<string, string> input) =>
        Rpc("echo", input.Select(p => (p.Key, Encoding.UTF8.GetBytes(p.Value))), (_, o) => o.OrThrow(o.Map));

    /// <summary><c>report</c>: server-wide counters and configuration.</summary>
    public Deferred<IReadOnlyDictionary<string, string>> Report() => Rpc("report", [], (_, o) => o.OrThrow(o.Map));

    /// <summary><c>status</c>: the database's count, size and type-dependent keys.</summary>
    public Deferred<IReadOnlyDictionary<string, string>> Status() => Rpc("status", [], (_, o) => o.OrThrow(o.Map));

    /// <summary><c>clear</c>: removes every record of the database.</summary>
    public Deferred<Unit> Clear() => Rpc("clear", [], (_, o) => o.OrThrow(Unit.Default));

    /// <summary><c>set</c>: stores the value, replacing any record (and its expiry).</summary>
    public Deferred<Unit> Set(byte[] key, byte[] value, KtExpiry expiry = default) =>
        Rpc("set", Record(key, value, expiry), (_, o) => o.OrThrow(Unit.Default));

    /// <summary><c>add</c>: stores the value only if the key is new; false when it already exists.</summary>
    public Deferred<bool> Add(byte[] key, byte[] value, KtExpiry expiry = default) =>
        Rpc("add", Record(key, value, expiry), (_, o) => o.Logical ? false : o.OrThrow(true));

    /// <summary><c>replace</c>: stores the value only if the key exists; false when it does not.</summary>
    public Deferred<bool> Replace(byte[] key, byte[] value, KtExpiry expiry = default) =>
        Rpc("replace", Record(key, value, expiry), (_, o) => o.Logical ? false : o.OrThrow(true));

    /// <summary><c>append</c>: appends to the value (creating the record). Like the server, it replaces the expiry: pass it again to keep one.</summary>
    public Deferred<Unit> Append(byte[] key, byte[] value, KtExpiry expiry = default) =>
        Rpc("append", Record(key, value, expiry), (_, o) => o.OrThrow(Unit.Default));

    /// <summary>
    /// <c>increment</c>: adds <paramref name="num"/> to an 8-byte big-endian counter; a missing record starts at
    /// <paramref name="orig"/> (a number, 0 by default), or fails (<see cref="KtIncrementOrigin.Try"/>), and
    /// <see cref="KtIncrementOrigin.Set"/> stores <paramref name="num"/> outright. A value that is not an 8-byte counter,
    /// or a missing one under <c>Try</c>, is a <see cref="KtException"/> with status 450.
    /// </summary>
    public Deferred<long> Increment(byte[] key, long num, KtIncrementOrigin orig = default, KtExpiry expiry = default) =>
        Rpc("increment", With(expiry, ("key", key), ("num", Ascii(num)), ("orig", Encoding.ASCII.GetBytes(orig.WireValue))), (_, o) => o.OrThrow(0L) + o.Long("num"));

    /// <summary>
    /// <c>increment_double</c>: the 16-byte fixed-point counter, with the same <paramref name="orig"/> choices as
    /// <see cref="Increment"/>; the server prints the result with 6 decimals.
    /// </summary>
    public Deferred<decimal> IncrementDouble(byte[] key, decimal num, KtIncrementOrigin orig = default, KtExpiry expiry = default) =>
        Rpc("increment_double", With(expiry, ("key", key), ("num", Ascii(num)), ("orig", Encoding.ASCII.GetBytes(orig.WireValue))),
            (_, o) => o.OrThrow(0m) + decimal.Parse(o.Text("num")!, CultureInfo.InvariantCulture));

    /// <summary>
    /// <c>cas</c>: replaces <paramref name="oldValue"/> with <paramref name="newValue"/> atomically; a null old value
    /// means "must not exist", a null new value means "remove". False when the current state differs.
    /// </summary>
    public Deferred<bool> Cas(byte[] key, byte[]? oldValue, byte[]? newValue, KtExpiry expiry = default)
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

        return Rpc("cas", With(expiry, [.. input]), (_, o) => o.Logical ? false : o.OrThrow(true));
    }

    /// <summary><c>remove</c>: false when there was no such record.</summary>
    public Deferred<bool> Remove(byte[] key) => Rpc("remove", [("key", key)], (_, o) => o.Logical ? false : o.OrThrow(true));

    /// <summary><c>get</c>: the record, or null when missing or expired.</summary>
    public Deferred<KtRecord?> Get(byte[] key) =>
        Rpc("get", [("key", key)], (_, o) => o.Logical ? null : o.OrThrow(new KtRecord(key, o.Bytes("value") ?? [], o.Expiry)));

    /// <summary><c>check</c>: the value's size, or null when the record is missing.</summary>
    public Deferred<long?> Check(byte[] key) => Rpc("check", [("key", key)], (_, o) => o.Logical ? null : o.OrThrow((long?)o.Long("vsiz")));

    /// <summary><c>seize</c>: gets and removes the record atomically; null when it was missing.</summary>
    public Deferred<KtRecord?> Seize(byte[] key) =>
        Rpc("seize", [("key", key)], (_, o) => o.Logical ? null : o.OrThrow(new KtRecord(key, o.Bytes("value") ?? [], o.Expiry)));

    /// <summary><c>set_bulk</c>: stores every record with one expiry; fires with how many were stored.</summary>
    public Deferred<long> SetBulk(IEnumerable<KeyValuePair<byte[], byte[]>> records, KtExpiry expiry = default, bool atomic = false) =>
        Rpc("set_bulk", With(expiry, [.. Flags(atomic), .. records.Select(r => ("_" + Latin(r.Key), r.Value))]), (_, o) => o.OrThrow(0L) + o.Long("num"));

    /// <summary><c>remove_bulk</c>: fires with how many existed and were removed (missing keys are not errors).</summary>
    public Deferred<long> RemoveBulk(IEnumerable<byte[]> keys, bool atomic = false) =>
        Rpc("remove_bulk", [.. Flags(atomic), .. keys.Select(k => ("_" + Latin(k), Array.Empty<byte>()))], (_, o) => o.OrThrow(0L) + o.Long("num"));

    /// <summary><c>get_bulk</c>: the records that exist (the server reports no expiry here).</summary>
    public Deferred<IReadOnlyList<KtRecord>> GetBulk(IEnumerable<byte[]> keys, bool atomic = false) =>
        Rpc("get_bulk", [.. Flags(atomic), .. keys.Select(k => ("_" + Latin(k), Array.Empty<byte>()))],
            (_, o) => o.OrThrow((IReadOnlyList<KtRecord>)[.. o.Underscored.Select(e => new KtRecord(e.Key, e.Value, null))]));

    /// <summary><c>vacuum</c>: reclaims expired records (a step count, or the whole DB).</summary>
    public Deferred<Unit> Vacuum(long? step = null) =>
        Rpc("vacuum", step is { } s ? [("step", Ascii(s))] : [], (_, o) => o.OrThrow(Unit.Default));

    /// <summary><c>match_prefix</c>: keys starting with <paramref name="prefix"/>, in the server's order.</summary>
    public Deferred<IReadOnlyList<byte[]>> MatchPrefix(byte[] prefix, long? max = null) =>
        Rpc("match_prefix", [("prefix", prefix), .. Max(max)], (_, o) => o.OrThrow(Ordered(o)));

    /// <summary><c>match_regex</c>: keys matching a POSIX extended regex; a bad regex is a 450 <see cref="KtException"/>.</summary>
    public Deferred<IReadOnlyList<byte[]>> MatchRegex(string regex, long? max = null) =>
        Rpc("match_regex", [("regex", Encoding.UTF8.GetBytes(regex)), .. Max(max)], (_, o) => o.OrThrow(Ordered(o)));

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
