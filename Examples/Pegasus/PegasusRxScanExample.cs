using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Examples.Pegasus;

/// <summary>An Rx pipeline over unordered scanners of a whole table: merge them, group by hash key, count, print.</summary>
public sealed class PegasusRxScanExample : PegasusExample
{
    private const int Users = 20;

    /// <inheritdoc />
    public override string Name => "pegasus-rx-scan";

    /// <inheritdoc />
    public override string Description => "Pegasus: unordered scanners merged in Rx, grouped by hash key and counted";

    /// <inheritdoc />
    protected override async Task RunAsync(PegasusTable table, TextWriter output, CancellationToken cancellationToken)
    {
        // User u has u + 1 events; every hash key lands in some partition, the scan must find them all.
        await Deferred.Gather(Enumerable.Range(0, Users).Select(u => table.MultiSet(
            Encoding.UTF8.GetBytes($"{Prefix}user{u:00}"),
            [.. Enumerable.Range(0, u + 1).Select(e => new KeyValuePair<byte[], byte[]>(Encoding.UTF8.GetBytes($"event{e:000}"), Encoding.UTF8.GetBytes($"payload {e}")))])));

        var counts = await table.GetUnorderedScanners(4)
            .Merge()
            .Where(record => Encoding.UTF8.GetString(record.HashKey).StartsWith(Prefix, StringComparison.Ordinal))
            .GroupBy(record => Encoding.UTF8.GetString(record.HashKey))
            .SelectMany(user => user.Count().Select(count => (User: user.Key[Prefix.Length..], Count: count)))
            .ToList()
            .Select(list => list.OrderBy(c => c.User, StringComparer.Ordinal).ToList())
            .ToTask(cancellationToken);

        foreach (var (user, count) in counts)
        {
            output.WriteLine($"{user}: {count} events");
        }

        Check.Equal(Users, counts.Count, "users found by the scan");
        Check.Sequence(Enumerable.Range(1, Users), counts.Select(c => c.Count), "events per user");
    }
}
