using System.Buffers.Text;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// Which arguments of a command are keys, so a cluster client can route it by slot. The table holds the server's
/// own key specs (Redis 7.0, see CommandKeys.Table.cs and gen-command-keys.py) and is interpreted as
/// getKeysUsingKeySpecs in Redis's db.c does, so the answer matches <c>COMMAND GETKEYS</c>.
/// </summary>
internal static partial class CommandKeys
{
    // Looked up by the exact upper-case name: an ordinal dictionary hit costs no allocation, and neither does the
    // walk over a spec, so the single-key hot path (GET, SET, ...) adds only to the caller's list.
    private static readonly Dictionary<string, Entry> Table = Build();

    /// <summary>
    /// Adds to <paramref name="keys"/> the 0-based indexes into <paramref name="arguments"/> (the command name not
    /// included) of every key argument. Returns false when the command is unknown: the caller sends it to any node.
    /// A known command without keys returns true and adds nothing.
    /// </summary>
    /// <param name="command">The command name in upper case (a container's subcommand is the first argument).</param>
    /// <param name="arguments">The arguments after the command name.</param>
    /// <param name="keys">Receives the indexes into <paramref name="arguments"/> of the keys, in command order.</param>
    public static bool TryFind(string command, RedisValue[] arguments, List<int> keys)
    {
        if (!Table.TryGetValue(command, out var entry))
        {
            return false;
        }

        if (entry.Subcommands is { } subcommands)
        {
            // OBJECT ENCODING key, XINFO STREAM key, ...: the keys are per subcommand; an unknown one has none.
            if (arguments.Length == 0 || !subcommands.TryGetValue(arguments[0].AsText ?? arguments[0].ToString(), out entry))
            {
                return true;
            }
        }

        // Specs count in Redis's argv, where 0 is the command name; arguments[i - 1] is argv[i].
        var start = keys.Count;
        var argc = arguments.Length + 1;
        foreach (var spec in entry.Specs)
        {
            AddKeys(spec, arguments, argc, keys);
        }

        if (entry.Special is Special.Sort or Special.SortReadOnly)
        {
            AddSortKeys(entry.Special, arguments, keys);
        }
        else if (entry.Special == Special.Migrate && keys.Count - start > 1 && keys[start] == 2 && arguments[2].EncodedLength == 0)
        {
            // MIGRATE host port "" db timeout KEYS k…: the empty key is a placeholder, not a key (migrateGetKeys).
            keys.RemoveAt(start);
        }

        return true;
    }

    private static void AddKeys(in KeySpec spec, RedisValue[] arguments, int argc, List<int> keys)
    {
        int first;
        if (spec.Keyword is null)
        {
            first = spec.Index;
        }
        else
        {
            // As db.c: search forward from startfrom, or backward from argc + startfrom, never testing the end
            // index itself (a keyword in last place would have no key after it).
            first = 0;
            var start = spec.StartFrom > 0 ? spec.StartFrom : argc + spec.StartFrom;
            var end = spec.StartFrom > 0 ? argc - 1 : 1;
            for (var i = start; i != end; i = start <= end ? i + 1 : i - 1)
            {
                if (i >= argc || i < 1)
                {
                    break;
                }

                if (IsKeyword(arguments[i - 1], spec.Keyword))
                {
                    first = i + 1;
                    break;
                }
            }

            if (first == 0)
            {
                return;
            }
        }

        int last;
        if (!spec.KeyNum)
        {
            last = spec.LastKey >= 0 ? first + spec.LastKey
                : spec.Limit == 0 ? argc + spec.LastKey
                : first + ((argc - first) / spec.Limit) + spec.LastKey;
        }
        else
        {
            var at = first + spec.KeyNumIndex;
            if (at < 1 || at >= argc || !TryInteger(arguments[at - 1], out var count) || count < 0 || count > argc)
            {
                // The server answers a bad numkeys with an error; there is no key to route by.
                return;
            }

            first += spec.FirstKey;
            last = first + (int)count - 1;
        }

        for (var i = first; i <= last; i += spec.Step)
        {
            // Too few arguments: the server reports the arity error, whichever node gets it.
            if (i >= argc || i < 1)
            {
                break;
            }

            keys.Add(i - 1);
        }
    }

    // SORT's STORE/BY/GET have no key spec the server can express; this is sortGetKeys from Redis's db.c: the key,
    // then the argument after the last STORE, skipping LIMIT's two and GET/BY's one argument.
    private static void AddSortKeys(Special kind, RedisValue[] arguments, List<int> keys)
    {
        if (arguments.Length == 0)
        {
            return;
        }

        keys.Add(0);
        if (kind != Special.Sort)
        {
            return;
        }

        var store = -1;
        for (var i = 1; i < arguments.Length; i++)
        {
            if (IsKeyword(arguments[i], "LIMIT"))
            {
                i += 2;
            }
            else if (IsKeyword(arguments[i], "GET") || IsKeyword(arguments[i], "BY"))
            {
                i += 1;
            }
            else if (IsKeyword(arguments[i], "STORE") && i + 1 < arguments.Length)
            {
                store = i + 1;
                i++;
            }
        }

        if (store >= 0)
        {
            keys.Add(store);
        }
    }

    private static bool IsKeyword(RedisValue value, string keyword)
    {
        if (value.AsText is { } text)
        {
            return string.Equals(text, keyword, StringComparison.OrdinalIgnoreCase);
        }

        if (value.TryGetSpan(out var span))
        {
            return Ascii.EqualsIgnoreCase(span, keyword);
        }

        // A number is never a keyword.
        return false;
    }

    private static bool TryInteger(RedisValue value, out long result)
    {
        if (value.AsText is { } text)
        {
            return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out result);
        }

        result = 0;
        if (value.EncodedLength > 32)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[32];
        var written = value.CopyTo(buffer);
        return Utf8Parser.TryParse(buffer[..written], out result, out var used) && used == written;
    }

    private static Entry E(params KeySpec[] specs) => new(specs, null, Special.None);

    private static Entry Sub(Dictionary<string, Entry> subcommands) => new([], subcommands, Special.None);

    private static Entry Sort(bool store) => new([], null, store ? Special.Sort : Special.SortReadOnly);

    private static Entry Migrate(Entry specs) => specs with { Special = Special.Migrate };

    /// <summary>A range spec: begin at argv index, or after keyword (searched from startfrom); then lastkey/step/limit.</summary>
    private static KeySpec R(int index, string? keyword, int startFrom, int lastKey, int step, int limit) =>
        new(index, keyword, startFrom, false, lastKey, step, limit, 0, 0);

    /// <summary>A keynum spec: the count is at first + keynumidx, the keys start at first + firstkey.</summary>
    private static KeySpec N(int index, string? keyword, int startFrom, int keyNumIndex, int firstKey, int step) =>
        new(index, keyword, startFrom, true, 0, step, 0, keyNumIndex, firstKey);

    /// <summary>Commands whose keys the specs alone do not give exactly (Redis uses a getkeys function for them).</summary>
    private enum Special
    {
        None,
        Sort,
        SortReadOnly,
        Migrate,
    }

    private readonly record struct KeySpec(int Index, string? Keyword, int StartFrom, bool KeyNum, int LastKey, int Step, int Limit, int KeyNumIndex, int FirstKey);

    private sealed record Entry(KeySpec[] Specs, Dictionary<string, Entry>? Subcommands, Special Special);
}
