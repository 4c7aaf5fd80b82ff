using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Keyspace;

/// <summary>An Rx pipeline over a cold key listing: filter, group by user, count, buffer; a second subscription lists afresh.</summary>
public sealed class KeyspaceRxListExample : KeyspaceExample
{
    private const int Users = 12;

    /// <inheritdoc />
    public override string Name => "keyspace-rx-list";

    /// <inheritdoc />
    public override string Description => "Keyspace: Rx over a cold key listing (Where, GroupBy, Buffer); a second subscription re-runs the listing";

    /// <inheritdoc />
    protected override async Task RunAsync(KeyspaceClient client, KeyspaceServer? server, TextWriter output, CancellationToken cancellationToken)
    {
        // User u has 10 * (u + 1) events, plus one profile key the pipeline filters out; 780 events, one listing page.
        await Deferred.Gather(Enumerable.Range(0, Users).SelectMany(u =>
            Enumerable.Range(0, 10 * (u + 1)).Select(e => client.Set($"{Prefix}user{u:00}:event{e:000}", $"payload {e}"))
                .Append(client.Set($"{Prefix}user{u:00}:profile", $"user {u}"))));

        // Cold: nothing is listed until a subscription, and every subscription runs the listing again.
        var events = client.ListKeys(KeyspaceRange.WithPrefix(Prefix))
            .Select(key => Encoding.UTF8.GetString(key)[Prefix.Length..])
            .Where(key => key.Contains(":event", StringComparison.Ordinal));

        var perUser = await events
            .GroupBy(key => key[..key.IndexOf(':', StringComparison.Ordinal)])
            .SelectMany(user => user.Count().Select(count => (User: user.Key, Count: count)))
            .ToList()
            .Select(list => list.OrderBy(c => c.User, StringComparer.Ordinal).ToList())
            .ToTask(cancellationToken);
        foreach (var (user, count) in perUser)
        {
            output.WriteLine($"{user}: {count} events");
        }

        Check.Equal(Users, perUser.Count, "users found by the listing");
        Check.Sequence(Enumerable.Range(1, Users).Select(u => 10 * u), perUser.Select(c => c.Count), "events per user");

        var buffers = await events.Buffer(100).Select(b => b.Count).ToList().ToTask(cancellationToken);
        output.WriteLine($"buffered by 100: [{string.Join(", ", buffers)}]");
        Check.Equal(Users * (Users + 1) * 5, buffers.Sum(), "events across the buffers");
        Check.That(buffers.Take(buffers.Count - 1).All(b => b == 100), "every buffer but the last holds 100");

        // A second subscription to the same observable lists again, and so sees the keys written since.
        await Deferred.Gather(Enumerable.Range(0, 20).Select(e => client.Set($"{Prefix}user99:event{e:000}", "late")));
        var again = await events.Count().ToTask(cancellationToken);
        output.WriteLine($"after 20 more events, the same listing re-run counts {again}");
        Check.Equal(buffers.Sum() + 20, again, "events counted by the second subscription");

        await client.Prune(Prefix);
    }
}
