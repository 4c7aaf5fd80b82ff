using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Examples.Pegasus;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>kv kt://host:1978/db VERB …</c>: one Kyoto Tycoon operation (bulk verbs over the binary protocol with
/// <c>--binary</c>); <c>replicate [ts]</c> prints the master's update log until Ctrl+C.
/// </summary>
public sealed class KtKvBackend : IKvBackend
{
    private static readonly string[] Verbs = ["get", "set", "add", "replace", "append", "remove", "incr", "cas", "bulk-get", "bulk-set", "bulk-remove", "match-prefix", "match-regex", "cursor", "report", "status", "clear", "replicate"];

    /// <inheritdoc />
    public string Scheme => "kt";

    /// <inheritdoc />
    public string Description =>
        "get k | set k v [--xt s] | add/replace/append k v [--xt s] | remove k | incr k [n] | cas k old new | bulk-get k… | bulk-set k v… | bulk-remove k… " +
        "(bulk verbs take --binary) | match-prefix p | match-regex r | cursor | report | status | clear | replicate [ts]";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        KtOptions kt;
        try
        {
            kt = KtOptions.Parse(url) with { ConnectTimeout = options.Timeout, OperationTimeout = options.Timeout };
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        var (plain, expiry, binary) = Flags(args);
        verb = verb.ToLowerInvariant();
        CheckArity(verb, plain);
        await using var client = KtClient.Create(reactor, kt);
        var b = plain.Select(PegasusText.Parse).ToArray();
        return verb switch
        {
            "get" => await client.Get(b[0]) is { } record ? Show(record) : "(not found)",
            "set" => await Ok(client.Set(b[0], b[1], expiry)),
            "add" => await client.Add(b[0], b[1], expiry) ? "OK" : "(exists)",
            "replace" => await client.Replace(b[0], b[1], expiry) ? "OK" : "(not found)",
            "append" => await Ok(client.Append(b[0], b[1], expiry)),
            "remove" => await client.Remove(b[0]) ? "OK" : "(not found)",
            "incr" => (await client.Increment(b[0], plain.Count > 1 ? long.Parse(plain[1], CultureInfo.InvariantCulture) : 1)).ToString(CultureInfo.InvariantCulture),
            "cas" => await client.Cas(b[0], b[1], b[2], expiry) ? "OK" : "(conflict)",
            "bulk-get" => Lines(binary ? await client.GetBulkBinary(b) : await client.GetBulk(b)),
            "bulk-set" => $"{(binary ? await client.SetBulkBinary(Pairs(b), expiry) : await client.SetBulk(Pairs(b), expiry))} stored",
            "bulk-remove" => $"{(binary ? await client.RemoveBulkBinary(b) : await client.RemoveBulk(b))} removed",
            "match-prefix" => string.Join(Environment.NewLine, (await client.MatchPrefix(b[0])).Select(PegasusText.Show)),
            "match-regex" => string.Join(Environment.NewLine, (await client.MatchRegex(plain[0])).Select(PegasusText.Show)),
            "cursor" => await PrintAsync(client.Cursor(), options.Output, cancellationToken),
            "report" or "status" => string.Join(Environment.NewLine, (verb == "report" ? await client.Report() : await client.Status()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}\t{p.Value}")),
            "clear" => await Ok(client.Clear()),
            "replicate" => await ReplicateAsync(client, plain.Count > 0 ? ulong.Parse(plain[0], CultureInfo.InvariantCulture) : 0, options.Output, cancellationToken),
            _ => throw new UsageException($"unknown verb '{verb}' for kt:// (known: {string.Join(", ", Verbs)})"),
        };
    }

    private static (List<string> Plain, KtExpiry Expiry, bool Binary) Flags(IReadOnlyList<string> args)
    {
        var plain = new List<string>();
        var expiry = KtExpiry.Never;
        var binary = false;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--binary")
            {
                binary = true;
            }
            else if (args[i] == "--xt")
            {
                if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                {
                    throw new UsageException("--xt needs a positive number of seconds from now");
                }

                expiry = KtExpiry.In(TimeSpan.FromSeconds(seconds));
                i++;
            }
            else
            {
                plain.Add(args[i]);
            }
        }

        return (plain, expiry, binary);
    }

    private static void CheckArity(string verb, List<string> args)
    {
        var (min, max, usage) = verb switch
        {
            "get" or "remove" or "match-prefix" or "match-regex" => (1, 1, "key"),
            "set" or "add" or "replace" or "append" => (2, 2, "key value [--xt s]"),
            "incr" => (1, 2, "key [n]"),
            "cas" => (3, 3, "key old new"),
            "bulk-get" or "bulk-remove" => (1, int.MaxValue, "key… [--binary]"),
            "bulk-set" => (2, int.MaxValue, "key value [key value…] [--binary]"),
            "cursor" or "report" or "status" or "clear" => (0, 0, ""),
            "replicate" => (0, 1, "[timestamp]"),
            _ => throw new UsageException($"unknown verb '{verb}' for kt:// (known: {string.Join(", ", Verbs)})"),
        };
        if (args.Count < min || args.Count > max || (verb == "bulk-set" && args.Count % 2 != 0))
        {
            throw new UsageException($"usage: {verb} {usage}".TrimEnd());
        }
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> Pairs(byte[][] flat)
    {
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            yield return new(flat[i], flat[i + 1]);
        }
    }

    private static async Task<string> Ok<T>(Deferred<T> operation)
    {
        await operation;
        return "OK";
    }

    private static string Show(KtRecord record) =>
        record.ExpiresAt is { } at ? $"{PegasusText.Show(record.Value)} (expires {at:u})" : PegasusText.Show(record.Value);

    private static string Lines(IReadOnlyList<KtRecord> records) =>
        string.Join(Environment.NewLine, records.Select(r => $"{PegasusText.Show(r.Key)} => {PegasusText.Show(r.Value)}").Append($"({records.Count} found)"));

    private static async Task<string> PrintAsync(IObservable<KtRecord> records, TextWriter output, CancellationToken cancellationToken)
    {
        var count = 0;
        await records.Do(r =>
        {
            output.WriteLine($"{PegasusText.Show(r.Key)} => {PegasusText.Show(r.Value)}");
            count++;
        }).DefaultIfEmpty().ToTask(cancellationToken);
        return $"({count} records)";
    }

    private static async Task<string> ReplicateAsync(KtClient client, ulong from, TextWriter output, CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource();
        using var registration = cancellationToken.Register(() => stopped.TrySetResult());
        using var feed = client.Replicate(from, serverId: 65535).Subscribe(
            r => output.WriteLine($"{r.Timestamp} sid {r.ServerId} db {r.Database} {r.Op} {PegasusText.Show(r.Key)}{(r.Op == ReplicationOp.Set ? " => " + PegasusText.Show(r.Value) : "")}"),
            e => stopped.TrySetException(e));
        await stopped.Task;
        return "";
    }
}
