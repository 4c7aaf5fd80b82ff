using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Examples.Pegasus;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>kv pegasus://meta1:port[,meta2:port]/table VERB …</c>: one Pegasus operation, keys and values printed as
/// UTF-8 where valid and hex otherwise (arguments may be given as 0x… hex too).
/// </summary>
public sealed class PegasusKvBackend : IKvBackend
{
    private static readonly string[] Verbs = ["get", "set", "del", "exist", "ttl", "count", "multiget", "multiset", "multidel", "incr", "scan", "fullscan"];

    /// <inheritdoc />
    public string Scheme => "pegasus";

    /// <inheritdoc />
    public string Description =>
        "get hk sk | set hk sk value [--ttl s] | del hk sk | exist hk sk | ttl hk sk | count hk | multiget hk [sk…] | " +
        "multiset hk sk v [sk v…] [--ttl s] | multidel hk sk… | incr hk sk [n] | scan hk [start [stop]] | fullscan";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        var pegasus = ParseOptions(url, options);
        var (plain, ttl) = SplitTtl(args);
        verb = verb.ToLowerInvariant();
        CheckArity(verb, plain);
        await using var client = PegasusClient.Create(reactor, pegasus);
        var table = await client.OpenTable().WithCancellation(cancellationToken);
        var b = plain.Select(PegasusText.Parse).ToArray();
        return verb switch
        {
            "get" => await table.Get(b[0], b[1]) is { } value ? PegasusText.Show(value) : "(not found)",
            "set" => await Done(table.Set(b[0], b[1], b[2], ttl)),
            "del" => await Done(table.Remove(b[0], b[1])),
            "exist" => await table.Exist(b[0], b[1]) ? "true" : "false",
            "ttl" => await table.Ttl(b[0], b[1]) switch { null => "(not found)", -1 => "-1 (no TTL)", var s => s.Value.ToString(CultureInfo.InvariantCulture) },
            "count" => (await table.SortKeyCount(b[0])).ToString(CultureInfo.InvariantCulture),
            "multiget" => Show(b.Length > 1 ? await table.MultiGet(b[0], b[1..]) : await table.MultiGet(b[0], [], [], maxCount: 0, maxSize: 0)),
            "multiset" => await Done(table.MultiSet(b[0], [.. Pairs(b[1..])], ttl)),
            "multidel" => $"{await table.MultiDel(b[0], b[1..])} removed",
            "incr" => (await table.Incr(b[0], b[1], plain.Count > 2 ? ParseLong(plain[2]) : 1)).ToString(CultureInfo.InvariantCulture),
            "scan" => await PrintAsync(table.GetScanner(b[0], b.Length > 1 ? b[1] : [], b.Length > 2 ? b[2] : []), options.Output, cancellationToken),
            "fullscan" => await PrintAsync(table.GetUnorderedScanners(4).Merge(), options.Output, cancellationToken),
            _ => throw new UsageException($"unknown verb '{verb}' for pegasus:// (known: {string.Join(", ", Verbs)})"),
        };
    }

    private static PegasusOptions ParseOptions(string url, KvOptions options)
    {
        try
        {
            var parsed = PegasusOptions.Parse(url);
            if (parsed.Table is null)
            {
                throw new UsageException($"'{ServiceUrl.Redact(url)}' names no table (pegasus://meta:34601/table)");
            }

            return parsed with { OperationTimeout = options.Timeout, MetaTimeout = options.Timeout };
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static (List<string> Plain, TimeSpan? Ttl) SplitTtl(IReadOnlyList<string> args)
    {
        var plain = new List<string>();
        TimeSpan? ttl = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--ttl")
            {
                if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                {
                    throw new UsageException("--ttl needs a positive number of seconds");
                }

                ttl = TimeSpan.FromSeconds(seconds);
                i++;
            }
            else
            {
                plain.Add(args[i]);
            }
        }

        return (plain, ttl);
    }

    private static void CheckArity(string verb, List<string> args)
    {
        var (min, max, usage) = verb switch
        {
            "get" or "del" or "exist" or "ttl" => (2, 2, "hk sk"),
            "set" => (3, 3, "hk sk value [--ttl s]"),
            "count" => (1, 1, "hk"),
            "multiget" => (1, int.MaxValue, "hk [sk…]"),
            "multiset" => (3, int.MaxValue, "hk sk v [sk v…]"),
            "multidel" => (2, int.MaxValue, "hk sk…"),
            "incr" => (2, 3, "hk sk [n]"),
            "scan" => (1, 3, "hk [start [stop]]"),
            "fullscan" => (0, 0, ""),
            _ => throw new UsageException($"unknown verb '{verb}' for pegasus:// (known: {string.Join(", ", Verbs)})"),
        };
        if (args.Count < min || args.Count > max || (verb == "multiset" && args.Count % 2 == 0))
        {
            throw new UsageException($"usage: {verb} {usage}".TrimEnd());
        }
    }

    private static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"'{text}' is not an integer");

    private static IEnumerable<KeyValuePair<byte[], byte[]>> Pairs(byte[][] flat)
    {
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            yield return new(flat[i], flat[i + 1]);
        }
    }

    private static async Task<string> Done<T>(Deferred<T> operation)
    {
        await operation;
        return "OK";
    }

    private static string Show(MultiGetResult result)
    {
        var lines = result.Values.Select(kv => $"{PegasusText.Show(kv.Key)} => {PegasusText.Show(kv.Value)}").ToList();
        lines.Add(result.AllFetched ? $"({result.Values.Count} records)" : $"({result.Values.Count} records, more not fetched)");
        return string.Join(Environment.NewLine, lines);
    }

    private static async Task<string> PrintAsync(IObservable<PegasusRecord> records, TextWriter output, CancellationToken cancellationToken)
    {
        var count = 0;
        await records.Do(r =>
        {
            output.WriteLine($"{PegasusText.Show(r.HashKey)} : {PegasusText.Show(r.SortKey)} => {PegasusText.Show(r.Value)}");
            count++;
        }).DefaultIfEmpty().ToTask(cancellationToken);
        return $"({count} records)";
    }
}
