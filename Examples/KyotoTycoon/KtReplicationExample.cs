using System.Net;
using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.KyotoTycoon;

/// <summary>An Rx pipeline over the replication feed: keep an in-memory mirror of the "user:" keys, reacting to sets and removes.</summary>
public sealed class KtReplicationExample : KtExample
{
    /// <inheritdoc />
    public override string Name => "kt-replication";

    /// <inheritdoc />
    public override string Description => "Kyoto Tycoon replication as a hot Rx stream: a filtered mirror of user:* kept in memory";

    /// <inheritdoc />
    protected override async Task RunAsync(KtClient client, IPEndPoint memcached, TextWriter output, CancellationToken cancellationToken)
    {
        var mirror = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var feed = client.Replicate(0, serverId: 100)
            .Where(r => r.Op == ReplicationOp.Clear || Encoding.UTF8.GetString(r.Key).StartsWith("user:", StringComparison.Ordinal))
            .Subscribe(r =>
            {
                lock (mirror)
                {
                    var key = Encoding.UTF8.GetString(r.Key);
                    switch (r.Op)
                    {
                        case ReplicationOp.Set:
                            mirror[key] = Encoding.UTF8.GetString(r.Value);
                            break;
                        case ReplicationOp.Remove:
                            mirror.Remove(key);
                            break;
                        default:
                            mirror.Clear();
                            break;
                    }

                    output.WriteLine($"  {r.Op} {key} -> mirror has {mirror.Count}");
                    if (key == "user:done")
                    {
                        caughtUp.TrySetResult();
                    }
                }
            });

        await client.Set("user:alice"u8.ToArray(), "admin"u8.ToArray());
        await client.Set("session:1"u8.ToArray(), "ignored"u8.ToArray());
        await client.Set("user:bob"u8.ToArray(), "reader"u8.ToArray());
        await client.Remove("user:alice"u8.ToArray());
        await client.SetBulkBinary([new("user:carol"u8.ToArray(), "writer"u8.ToArray())]);
        await client.Set("user:done"u8.ToArray(), "-"u8.ToArray());
        await caughtUp.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

        lock (mirror)
        {
            Check.Sequence(["user:bob", "user:carol", "user:done"], mirror.Keys, "mirrored keys");
            Check.Equal("writer", mirror["user:carol"], "carol's value");
        }
    }
}
