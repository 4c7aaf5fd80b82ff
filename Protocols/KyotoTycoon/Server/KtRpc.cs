using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The RPC procedures with ktserver 0.9.56b's behaviour (spec §3): the DB selector, the xt rules (present-and-0
/// means now; absent means never), 450 for logical inconsistencies with the server's ERROR texts, the increment
/// byte formats, 501 for unknown procedures. The output is an ordered map, as the server's is.
/// </summary>
internal sealed class KtRpc(IReadOnlyList<KtDatabase> databases, Func<long> now, KtServerOptions options)
{
    public (int Status, SortedDictionary<byte[], byte[]> Output) Handle(string procedure, Dictionary<string, byte[]> input, Dictionary<string, byte[]> bulk, Dictionary<long, ServerCursor> cursors)
    {
        var output = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        try
        {
            var status = procedure.StartsWith("cur_", StringComparison.Ordinal)
                ? Cursor(procedure, input, output, cursors)
                : Dispatch(procedure, input, bulk, output);
            return (status, output);
        }
        catch (RpcFailure failure)
        {
            output.Clear();
            output[Bytes("ERROR")] = Bytes(failure.Message);
            return (failure.Status, output);
        }
    }

    /// <summary>
    /// Procedures that work on the server as a whole. Any other name selects its database first, so an unknown
    /// procedure with a bad <c>DB</c> is answered "no such database" before "not implemented", as it always was.
    /// </summary>
    private static readonly FrozenDictionary<string, Func<KtRpc, RpcArgs, int>> ServerProcedures = new Dictionary<string, Func<KtRpc, RpcArgs, int>>
    {
        ["void"] = static (_, _) => 200,
        ["echo"] = static (_, a) => Echo(a),
        ["report"] = static (rpc, a) => rpc.Report(a),
        ["play_script"] = static (rpc, a) => rpc.RunScript(a),

        // Like a ktserver started without -rts: the embedded server is a master only.
        ["tune_replication"] = static (_, _) => throw new RpcFailure(501, "the RTS file is not set"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Procedures on the database the request's <c>DB</c> selects.</summary>
    private static readonly FrozenDictionary<string, Func<KtDatabase, RpcArgs, int>> DatabaseProcedures = new Dictionary<string, Func<KtDatabase, RpcArgs, int>>
    {
        ["status"] = Status,
        ["clear"] = static (db, _) => Done(db.Clear),
        ["set"] = Store,
        ["add"] = Store,
        ["replace"] = Store,
        ["append"] = Store,
        ["increment"] = static (db, a) => Done(() => Increment(db, a.Input, a.Output, a.Now)),
        ["increment_double"] = static (db, a) => Done(() => IncrementDouble(db, a.Input, a.Output, a.Now)),
        ["cas"] = static (db, a) => Done(() => Cas(db, a.Input, a.Now)),
        ["remove"] = Remove,
        ["get"] = Read,
        ["check"] = Read,
        ["seize"] = Read,
        ["set_bulk"] = SetBulk,
        ["remove_bulk"] = RemoveBulk,
        ["get_bulk"] = GetBulk,
        ["vacuum"] = static (db, a) => Done(() => db.Vacuum(a.Now)),

        // Memory databases have nothing to write; a post-sync command needs a -cmd directory this server has not.
        ["synchronize"] = static (_, a) => a.Input.ContainsKey("command") ? throw new RpcFailure(500, "DB: 9: system error: the command failed") : 200,
        ["match_similar"] = MatchSimilar,
        ["match_prefix"] = MatchPrefix,
        ["match_regex"] = MatchRegex,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private int Dispatch(string procedure, Dictionary<string, byte[]> input, Dictionary<string, byte[]> bulk, SortedDictionary<byte[], byte[]> output)
    {
        var args = new RpcArgs(procedure, input, bulk, output, now());
        if (ServerProcedures.TryGetValue(procedure, out var serverProcedure))
        {
            return serverProcedure(this, args);
        }

        var db = Database(input);
        return DatabaseProcedures.TryGetValue(procedure, out var databaseProcedure)
            ? databaseProcedure(db, args)
            : throw new RpcFailure(501, $"not implemented: {procedure}");
    }

    private static int Done(Action action)
    {
        action();
        return 200;
    }

    private static int Echo(RpcArgs a)
    {
        foreach (var (name, value) in a.Input)
        {
            a.Output[Bytes(name)] = value;
        }

        foreach (var (name, value) in a.Bulk)
        {
            a.Output[[(byte)'_', .. Encoding.Latin1.GetBytes(name)]] = value;
        }

        return 200;
    }

    private int RunScript(RpcArgs a)
    {
        var name = a.Input.TryGetValue("name", out var script) ? Encoding.UTF8.GetString(script) : null;
        foreach (var (key, value) in PlayScript(name, a.Bulk.ToDictionary(b => b.Key, b => b.Value)))
        {
            a.Output[[(byte)'_', .. Encoding.Latin1.GetBytes(key)]] = value;
        }

        return 200;
    }

    private static int Status(KtDatabase db, RpcArgs a)
    {
        Put(a.Output, "count", db.Count);
        Put(a.Output, "size", db.Size);
        a.Output[Bytes("path")] = Bytes(db.Path);
        a.Output[Bytes("type")] = Bytes(db.IsTree ? "CacheTree" : "CacheHash");
        return 200;
    }

    private static int Store(KtDatabase db, RpcArgs a)
    {
        Store(a.Procedure, db, Required(a.Input, "key"), Required(a.Input, "value"), Expiry(a.Input, a.Now), a.Now);
        return 200;
    }

    private static int Remove(KtDatabase db, RpcArgs a)
    {
        if (db.Get(Required(a.Input, "key"), a.Now) is null)
        {
            throw NoRecord();
        }

        db.Remove(a.Input["key"]);
        return 200;
    }

    private static int Read(KtDatabase db, RpcArgs a)
    {
        Read(a.Procedure, db, Required(a.Input, "key"), a.Output, a.Now);
        return 200;
    }

    private static int SetBulk(KtDatabase db, RpcArgs a)
    {
        var xt = Expiry(a.Input, a.Now);
        foreach (var (key, value) in a.Bulk)
        {
            db.Set(Encoding.Latin1.GetBytes(key), value, xt);
        }

        Put(a.Output, "num", a.Bulk.Count);
        return 200;
    }

    private static int RemoveBulk(KtDatabase db, RpcArgs a)
    {
        Put(a.Output, "num", a.Bulk.Keys.Count(k => db.Get(Encoding.Latin1.GetBytes(k), a.Now) is not null && db.Remove(Encoding.Latin1.GetBytes(k))));
        return 200;
    }

    private static int GetBulk(KtDatabase db, RpcArgs a)
    {
        var hits = 0;
        foreach (var key in a.Bulk.Keys)
        {
            if (db.Get(Encoding.Latin1.GetBytes(key), a.Now) is { } record)
            {
                a.Output[[(byte)'_', .. Encoding.Latin1.GetBytes(key)]] = record.Value;
                hits++;
            }
        }

        Put(a.Output, "num", hits);
        return 200;
    }

    private static int MatchSimilar(KtDatabase db, RpcArgs a)
    {
        var origin = Required(a.Input, "origin");
        var range = a.Input.TryGetValue("range", out var r) && Atoi(r) >= 0 ? Atoi(r) : 1;
        var utf = a.Input.ContainsKey("utf");
        Match(db, a.Input, a.Output, a.Now, k => Distance(origin, k, utf) <= range);
        return 200;
    }

    private static int MatchPrefix(KtDatabase db, RpcArgs a)
    {
        var prefix = Required(a.Input, "prefix");
        Match(db, a.Input, a.Output, a.Now, k => k.AsSpan().StartsWith(prefix));
        return 200;
    }

    private static int MatchRegex(KtDatabase db, RpcArgs a)
    {
        Regex regex;
        try
        {
            regex = new Regex(Encoding.UTF8.GetString(Required(a.Input, "regex")), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw new RpcFailure(450, "DB: 8: logical inconsistency: compilation failed");
        }

        Match(db, a.Input, a.Output, a.Now, k => regex.IsMatch(Encoding.Latin1.GetString(k)));
        return 200;
    }

    /// <summary>The cursor procedures of §3.8, including the quirk that cur_delete on an unknown id creates one and answers 501.</summary>
    private int Cursor(string procedure, Dictionary<string, byte[]> input, SortedDictionary<byte[], byte[]> output, Dictionary<long, ServerCursor> cursors)
    {
        if (!input.TryGetValue("CUR", out var idText) || idText.Length == 0 || !char.IsAsciiDigit((char)idText[0]))
        {
            throw new RpcFailure(400, "no such cursor");
        }

        var id = Atoi(idText);
        var created = false;
        if (!cursors.TryGetValue(id, out var cursor))
        {
            KtDatabase db;
            try
            {
                db = Database(input);
            }
            catch (RpcFailure)
            {
                throw new RpcFailure(400, "no such cursor");
            }

            cursor = cursors[id] = new ServerCursor(db);
            created = true;
        }

        var t = now();
        var step = input.ContainsKey("step");
        switch (procedure)
        {
            case "cur_delete":
                if (created)
                {
                    throw new RpcFailure(501, "not implemented: cur_delete");
                }

                cursors.Remove(id);
                return 200;
            case "cur_jump" or "cur_jump_back":
                var backward = procedure == "cur_jump_back";
                if (backward && !cursor.Database.IsTree)
                {
                    throw new RpcFailure(501, "DB: 1: not implemented: not implemented");
                }

                var keys = cursor.Database.Keys(t);
                var target = input.GetValueOrDefault("key");
                cursor.Current = target is null
                    ? (backward ? keys.LastOrDefault() : keys.FirstOrDefault())
                    : backward
                        ? keys.LastOrDefault(k => k.AsSpan().SequenceCompareTo(target) <= 0)
                        : cursor.Database.IsTree ? keys.FirstOrDefault(k => k.AsSpan().SequenceCompareTo(target) >= 0) : keys.FirstOrDefault(k => k.AsSpan().SequenceEqual(target));
                return cursor.Current is null ? throw NoRecord() : 200;
            case "cur_step" or "cur_step_back":
                if (procedure == "cur_step_back" && !cursor.Database.IsTree)
                {
                    throw new RpcFailure(501, "DB: 1: not implemented: not implemented");
                }

                cursor.Current = cursor.Neighbour(t, procedure == "cur_step_back");
                return cursor.Current is null ? throw NoRecord() : 200;
        }

        if (cursor.Current is not { } key || cursor.Database.Get(key, t) is not { } record)
        {
            throw NoRecord();
        }

        switch (procedure)
        {
            case "cur_get_key":
                output[Bytes("key")] = key;
                break;
            case "cur_get_value":
                output[Bytes("value")] = record.Value;
                break;
            case "cur_get" or "cur_seize":
                output[Bytes("key")] = key;
                output[Bytes("value")] = record.Value;
                if (record.Xt < KtExpiry.NeverAbsolute)
                {
                    Put(output, "xt", record.Xt);
                }

                break;
            case "cur_set_value":
                cursor.Database.Set(key, Required(input, "value"), Expiry(input, t));
                break;
            case "cur_remove":
                break;
            default:
                throw new RpcFailure(501, $"not implemented: {procedure}");
        }

        if (procedure is "cur_remove" or "cur_seize")
        {
            var next = cursor.Neighbour(t, backward: false);
            cursor.Database.Remove(key);
            cursor.Current = next;
        }
        else if (step)
        {
            cursor.Current = cursor.Neighbour(t, backward: false);
        }

        return 200;
    }

    /// <summary>Runs a registered script procedure; the failures follow the server's texts and codes.</summary>
    internal IReadOnlyDictionary<string, byte[]> PlayScript(string? name, IReadOnlyDictionary<string, byte[]> input)
    {
        if (name is null || name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new RpcFailure(400, "invalid parameters");
        }

        if (options.Scripts is not { } scripts)
        {
            throw new RpcFailure(501, "the scripting extention is disabled");
        }

        if (!scripts.TryGetValue(name, out var procedure))
        {
            throw new RpcFailure(501, "no such scripting procedure");
        }

        try
        {
            return procedure(input);
        }
        catch (KtScriptFailure failure)
        {
            throw new RpcFailure(failure.Status, "the scripting procedure failed");
        }
    }

    /// <summary>Levenshtein distance, over UTF-8 characters when <paramref name="utf"/>, else over bytes.</summary>
    private static int Distance(byte[] a, byte[] b, bool utf)
    {
        int[] x = utf ? [.. Encoding.UTF8.GetString(a).EnumerateRunes().Select(r => r.Value)] : [.. a.Select(v => (int)v)];
        int[] y = utf ? [.. Encoding.UTF8.GetString(b).EnumerateRunes().Select(r => r.Value)] : [.. b.Select(v => (int)v)];
        var previous = Enumerable.Range(0, y.Length + 1).ToArray();
        for (var i = 1; i <= x.Length; i++)
        {
            var current = new int[y.Length + 1];
            current[0] = i;
            for (var j = 1; j <= y.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[y.Length];
    }

    private int Report(RpcArgs a)
    {
        var (output, t) = (a.Output, a.Now);
        for (var i = 0; i < databases.Count; i++)
        {
            output[Bytes($"db_{i}")] = Bytes($"count={databases[i].Count} size={databases[i].Size} path={databases[i].Path}");
        }

        Put(output, "db_total_count", databases.Sum(d => d.Count));
        Put(output, "db_total_size", databases.Sum(d => d.Size));
        output[Bytes("conf_kt_version")] = Bytes("0.9.56b (2.19)");
        output[Bytes("serv_current_time")] = Bytes(t.ToString("F6", CultureInfo.InvariantCulture));
        return 200;
    }

    private static void Store(string mode, KtDatabase db, byte[] key, byte[] value, long xt, long t)
    {
        var current = db.Get(key, t);
        switch (mode)
        {
            case "add" when current is not null:
                throw new RpcFailure(450, "DB: 6: record duplication: record duplication");
            case "replace" when current is null:
                throw NoRecord();
            case "append":
                value = current is { } existing ? [.. existing.Value, .. value] : value;
                break;
        }

        db.Set(key, value, xt);
    }

    private static void Increment(KtDatabase db, Dictionary<string, byte[]> input, SortedDictionary<byte[], byte[]> output, long t)
    {
        var key = Required(input, "key");
        var num = Atoi(Required(input, "num"));
        var orig = input.TryGetValue("orig", out var o) ? Encoding.ASCII.GetString(o) : "0";
        var current = db.Get(key, t);
        long result;
        if (current is { } record)
        {
            if (record.Value.Length != 8)
            {
                throw new RpcFailure(450, "DB: 8: logical inconsistency: logical inconsistency");
            }

            if (orig != "set" && num == 0)
            {
                Put(output, "num", BinaryPrimitives.ReadInt64BigEndian(record.Value));
                return;
            }

            result = orig == "set" ? num : unchecked(BinaryPrimitives.ReadInt64BigEndian(record.Value) + num);
        }
        else
        {
            result = orig switch
            {
                "try" => throw new RpcFailure(450, "DB: 8: logical inconsistency: logical inconsistency"),
                "set" => num,
                _ => unchecked(Atoi(Encoding.ASCII.GetBytes(orig)) + num),
            };
        }

        db.Set(key, KtNumbers.EncodeInt64(result), Expiry(input, t));
        Put(output, "num", result);
    }

    private static void IncrementDouble(KtDatabase db, Dictionary<string, byte[]> input, SortedDictionary<byte[], byte[]> output, long t)
    {
        var key = Required(input, "key");
        var num = ParseDecimal(Required(input, "num"));
        var orig = input.TryGetValue("orig", out var o) ? Encoding.ASCII.GetString(o) : "0";
        var current = db.Get(key, t);
        decimal result;
        if (current is { } record)
        {
            var stored = KtNumbers.DecodeDouble(record.Value) ?? throw new RpcFailure(450, "DB: 8: logical inconsistency: logical inconsistency");
            result = orig == "set" ? num : stored + num;
        }
        else
        {
            result = orig switch
            {
                "try" => throw new RpcFailure(450, "DB: 8: logical inconsistency: logical inconsistency"),
                "set" => num,
                _ => ParseDecimal(Encoding.ASCII.GetBytes(orig)) + num,
            };
        }

        db.Set(key, KtNumbers.EncodeDouble(result), Expiry(input, t));
        output[Bytes("num")] = Bytes(result.ToString("F6", CultureInfo.InvariantCulture));
    }

    private static void Cas(KtDatabase db, Dictionary<string, byte[]> input, long t)
    {
        var key = Required(input, "key");
        var current = db.Get(key, t);
        var oval = input.GetValueOrDefault("oval");
        var nval = input.GetValueOrDefault("nval");
        var matches = oval is null ? current is null : current is { } c && c.Value.AsSpan().SequenceEqual(oval);
        if (!matches)
        {
            throw new RpcFailure(450, "DB: 8: logical inconsistency: status conflict");
        }

        if (nval is not null)
        {
            db.Set(key, nval, Expiry(input, t));
        }
        else if (current is not null)
        {
            db.Remove(key);
        }
    }

    private static void Read(string procedure, KtDatabase db, byte[] key, SortedDictionary<byte[], byte[]> output, long t)
    {
        if (db.Get(key, t) is not { } record)
        {
            throw NoRecord();
        }

        if (procedure == "check")
        {
            Put(output, "vsiz", record.Value.Length);
        }
        else
        {
            output[Bytes("value")] = record.Value;
        }

        if (record.Xt < KtExpiry.NeverAbsolute)
        {
            Put(output, "xt", record.Xt);
        }

        if (procedure == "seize")
        {
            db.Remove(key);
        }
    }

    private static void Match(KtDatabase db, Dictionary<string, byte[]> input, SortedDictionary<byte[], byte[]> output, long t, Func<byte[], bool> matches)
    {
        var max = input.TryGetValue("max", out var m) ? Atoi(m) : -1;
        var found = 0L;
        foreach (var key in db.Keys(t))
        {
            if (max >= 0 && found >= max)
            {
                break;
            }

            if (matches(key))
            {
                output[[(byte)'_', .. key]] = Bytes(found.ToString(CultureInfo.InvariantCulture));
                found++;
            }
        }

        Put(output, "num", found);
    }

    private KtDatabase Database(Dictionary<string, byte[]> input)
    {
        if (!input.TryGetValue("DB", out var selector) || selector.Length == 0)
        {
            return databases.Count > 0 ? databases[0] : throw new RpcFailure(400, "no such database");
        }

        if (char.IsAsciiDigit((char)selector[0]))
        {
            var index = Atoi(selector);
            return index >= 0 && index < databases.Count ? databases[(int)index] : throw new RpcFailure(400, "no such database");
        }

        var name = Encoding.UTF8.GetString(selector);
        return databases.LastOrDefault(d => d.Name == name) ?? throw new RpcFailure(400, "no such database");
    }

    /// <summary>The absolute expiry for a write: the parameter absent means never; present, C's atoi (junk and empty are 0, which means now).</summary>
    private static long Expiry(Dictionary<string, byte[]> input, long t)
    {
        if (!input.TryGetValue("xt", out var text))
        {
            return KtExpiry.NeverAbsolute;
        }

        var xt = Atoi(text);
        return xt == 0 ? t : KtExpiry.Resolve(xt, t);
    }

    /// <summary>C's atoi: leading spaces, a sign, digits; anything else ends the number; nothing is 0.</summary>
    internal static long Atoi(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        var negative = i < text.Length && text[i] == '-';
        if (i < text.Length && text[i] is (byte)'-' or (byte)'+')
        {
            i++;
        }

        long value = 0;
        for (; i < text.Length && char.IsAsciiDigit((char)text[i]); i++)
        {
            value = unchecked(value * 10 + (text[i] - '0'));
        }

        return negative ? -value : value;
    }

    private static decimal ParseDecimal(byte[] text) =>
        decimal.TryParse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static byte[] Required(Dictionary<string, byte[]> input, string name) =>
        input.TryGetValue(name, out var value) ? value : throw new RpcFailure(400, "invalid parameters");

    private static RpcFailure NoRecord() => new(450, "DB: 7: no record: no record");

    private static void Put(SortedDictionary<byte[], byte[]> output, string name, long value) => output[Bytes(name)] = Bytes(value.ToString(CultureInfo.InvariantCulture));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>One request as a procedure sees it: its name, inputs, the output map to fill, and the server's time in seconds.</summary>
    private readonly record struct RpcArgs(string Procedure, Dictionary<string, byte[]> Input, Dictionary<string, byte[]> Bulk, SortedDictionary<byte[], byte[]> Output, long Now);

    internal sealed class RpcFailure(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
