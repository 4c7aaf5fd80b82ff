using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Examples.Pegasus;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>kv keyspace://host:port[,host:port…] VERB …</c>: one Keyspace operation (nodes in nodeID order), keys and values
/// printed as UTF-8 where valid and hex otherwise (arguments may be given as 0x… hex too). Listings print one line per
/// key (or <c>key => value</c>) as the pages arrive, and take <c>--prefix --start --count --offset --backward --dirty</c>.
/// </summary>
public sealed class KeyspaceKvBackend : IKvBackend
{
    private static readonly string[] Verbs = ["get", "dirty-get", "set", "test-and-set", "add", "delete", "remove", "rename", "prune", "set-expiry", "remove-expiry", "clear-expiries", "list-keys", "list-key-values", "count", "get-master"];

    /// <inheritdoc />
    public string Scheme => "keyspace";

    /// <inheritdoc />
    public string Description =>
        "get k | dirty-get k | set k v | test-and-set k test v | add k n | delete k | remove k | rename from to | prune prefix | " +
        "set-expiry k s | remove-expiry k | clear-expiries | list-keys | list-key-values | count " +
        "(the last three take --prefix p --start k --count n --offset n --backward --dirty) | get-master";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        KeyspaceOptions keyspace;
        try
        {
            keyspace = KeyspaceOptions.Parse(url) with { ConnectTimeout = options.Timeout, OperationTimeout = options.Timeout, MasterTimeout = options.Timeout };
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        verb = verb.ToLowerInvariant();
        var (plain, range, dirty) = Flags(verb, args);
        CheckArity(verb, plain);
        await using var client = KeyspaceClient.Create(reactor, keyspace);
        var b = plain.Select(PegasusText.Parse).ToArray();
        return verb switch
        {
            "get" => Value(await client.Get(b[0])),
            "dirty-get" => Value(await client.DirtyGet(b[0])),
            "set" => await Ok(client.Set(b[0], b[1])),
            "test-and-set" => await client.TestAndSet(b[0], b[1], b[2]) switch
            {
                { Swapped: true } => "OK",
                { Current: null } => "(not found)",
                _ => "(conflict)",
            },
            "add" => (await client.Add(b[0], ParseLong(plain[1]))).ToString(CultureInfo.InvariantCulture),
            "delete" => await client.Delete(b[0]) ? "OK" : "(not found)",
            "remove" => Value(await client.Remove(b[0])),
            "rename" => await client.Rename(b[0], b[1]) ? "OK" : "(not found)",
            "prune" => await Ok(client.Prune(b[0])),
            "set-expiry" => await Ok(client.SetExpiry(b[0], ParseSeconds(plain[1]))),
            "remove-expiry" => await Ok(client.RemoveExpiry(b[0])),
            "clear-expiries" => await Ok(client.ClearExpiries()),
            "list-keys" => await PrintAsync(dirty ? client.DirtyListKeys(range) : client.ListKeys(range), PegasusText.Show, options.Output, cancellationToken),
            "list-key-values" => await PrintAsync(dirty ? client.DirtyListKeyValues(range) : client.ListKeyValues(range), p => $"{PegasusText.Show(p.Key)} => {PegasusText.Show(p.Value)}", options.Output, cancellationToken),
            "count" => (await (dirty ? client.DirtyCount(range) : client.Count(range))).ToString(CultureInfo.InvariantCulture),
            "get-master" => (await client.GetMaster()).ToString(CultureInfo.InvariantCulture),
            _ => throw UnknownVerb(verb),
        };
    }

    /// <summary>The positional arguments, and the range flags (only the listing and count verbs take them).</summary>
    private static (List<string> Plain, KeyspaceRange Range, bool Dirty) Flags(string verb, IReadOnlyList<string> args)
    {
        var plain = new List<string>();
        var range = new KeyspaceRange();
        var dirty = false;
        var ranged = verb is "list-keys" or "list-key-values" or "count";
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is not ("--prefix" or "--start" or "--count" or "--offset" or "--backward" or "--dirty"))
            {
                plain.Add(flag);
                continue;
            }

            if (!ranged)
            {
                throw new UsageException($"{flag} applies only to list-keys, list-key-values and count");
            }

            if (flag is "--backward" or "--dirty")
            {
                range = flag == "--backward" ? range with { Direction = KeyspaceDirection.Backward } : range;
                dirty |= flag == "--dirty";
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new UsageException($"{flag} needs a value");
            }

            var value = args[++i];
            range = flag switch
            {
                "--prefix" => range with { Prefix = PegasusText.Parse(value) },
                "--start" => range with { StartKey = PegasusText.Parse(value) },
                "--count" => range with { Limit = ParseCount(flag, value) },
                _ => range with { Offset = ParseCount(flag, value) },
            };
        }

        return (plain, range, dirty);
    }

    private static void CheckArity(string verb, List<string> args)
    {
        var (count, usage) = verb switch
        {
            "get" or "dirty-get" or "delete" or "remove" or "remove-expiry" => (1, "key"),
            "set" => (2, "key value"),
            "test-and-set" => (3, "key test value"),
            "add" => (2, "key n"),
            "rename" => (2, "from to"),
            "prune" => (1, "prefix"),
            "set-expiry" => (2, "key seconds"),
            "list-keys" or "list-key-values" or "count" => (0, "[--prefix p] [--start key] [--count n] [--offset n] [--backward] [--dirty]"),
            "clear-expiries" or "get-master" => (0, ""),
            _ => throw UnknownVerb(verb),
        };
        if (args.Count != count)
        {
            throw new UsageException($"usage: {verb} {usage}".TrimEnd());
        }
    }

    private static UsageException UnknownVerb(string verb) =>
        new($"unknown verb '{verb}' for keyspace:// (known: {string.Join(", ", Verbs)})");

    private static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"'{text}' is not an integer");

    private static ulong ParseSeconds(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"'{text}' is not a number of seconds");

    private static long ParseCount(string flag, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"{flag} needs a non-negative integer, not '{text}'");

    private static string Value(byte[]? value) => value is null ? "(not found)" : PegasusText.Show(value);

    private static async Task<string> Ok<T>(Deferred<T> operation)
    {
        await operation;
        return "OK";
    }

    /// <summary>Prints each item on its own line as it arrives; nothing more (an empty listing prints nothing).</summary>
    private static async Task<string> PrintAsync<T>(IObservable<T> items, Func<T, string> show, TextWriter output, CancellationToken cancellationToken)
    {
        await items.Do(item => output.WriteLine(show(item))).DefaultIfEmpty().ToTask(cancellationToken);
        return "";
    }
}
