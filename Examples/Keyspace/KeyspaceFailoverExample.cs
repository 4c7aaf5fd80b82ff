using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Keyspace;

/// <summary>
/// Keeps writing to a 3-node embedded cluster through two master changes. First the master is cut off from the
/// others: the writes it holds are never committed, it answers <c>n</c> when its lease ends, and the client sends them
/// to the new master by itself (printed from <see cref="KeyspaceClient.Retries"/>). Then the new master is killed:
/// writes in flight fail as "may have executed" and this program retries them (a set is idempotent, so that is
/// harmless); one that finds no master in time fails. At the end every acknowledged write must be on the last master.
/// </summary>
public sealed class KeyspaceFailoverExample : KeyspaceExample
{
    private const int Writes = 300;
    private const int IsolateAt = 100;
    private const int KillAt = 200;
    private const int Attempts = 3;

    /// <inheritdoc />
    public override string Name => "keyspace-failover";

    /// <inheritdoc />
    public override string Description => "Keyspace: a 3-node embedded cluster loses its master mid-stream; writes are retried and every acknowledged one checked";

    /// <inheritdoc />
    protected override KeyspaceServerOptions ServerOptions => new()
    {
        Nodes = 3,
        ElectionDelay = TimeSpan.FromMilliseconds(800),
        LeaseTimeout = TimeSpan.FromMilliseconds(500),
    };

    /// <inheritdoc />
    protected override async Task RunAsync(KeyspaceClient client, KeyspaceServer? server, TextWriter output, CancellationToken cancellationToken)
    {
        var first = await client.GetMaster().WithCancellation(cancellationToken);
        output.WriteLine($"master: node {first}");
        var masters = new List<int?>();
        using var watch = client.MasterChanges.Subscribe(m =>
        {
            lock (masters)
            {
                masters.Add(m);
            }
        });

        var clientRetries = new List<string>();
        using var watchRetries = client.Retries.Subscribe(r =>
        {
            lock (clientRetries)
            {
                clientRetries.Add($"{r.Operation} from node {r.Node}: {r.Reason}");
            }
        });

        var acknowledged = new List<int>();
        var retried = new List<string>();
        var failed = new List<string>();
        int? isolated = null, killed = null, doomed = null;
        for (var i = 0; i < Writes; i++)
        {
            // Up to 8 writes in flight; each fault strikes just before a window goes out.
            var window = Enumerable.Range(i, Math.Min(8, Writes - i)).ToList();
            i += window.Count - 1;
            if (window[0] >= KillAt && doomed is null && server is not null)
            {
                // Cut the master off again so the next window waits on it, uncommitted, when it dies.
                server.HealNode(isolated!.Value);
                doomed = server.Master!.Value;
                server.IsolateNode(doomed.Value);
                output.WriteLine($"healed node {isolated}; cut master node {doomed} off before writes {window[0]}..{window[^1]}");
            }

            if (window[0] >= IsolateAt && isolated is null && server is not null)
            {
                isolated = server.Master;
                server.IsolateNode(isolated!.Value);
                output.WriteLine($"cut master node {isolated} off from the others before writes {window[0]}..{window[^1]}");
            }

            var inFlight = Task.WhenAll(window.Select(async n =>
            {
                if (await WriteAsync(client, n, retried, failed, cancellationToken))
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(n);
                    }
                }
            }));
            if (doomed is { } victim && killed is null)
            {
                killed = await KillWithWritesQueuedAsync(server!, victim, window.Count, cancellationToken);
                output.WriteLine($"killed master node {killed} holding writes {window[0]}..{window[^1]}");
            }

            await inFlight;
        }

        if (server is null)
        {
            output.WriteLine("a real cluster: no faults injected (stop its master by hand to see a failover)");
        }

        var now = await client.GetMaster().WithCancellation(cancellationToken);
        lock (masters)
        {
            output.WriteLine($"master changes seen: {string.Join(" -> ", masters.Select(m => m?.ToString() ?? "none"))}; master now node {now}");
        }

        output.WriteLine($"{acknowledged.Count} of {Writes} writes acknowledged; {clientRetries.Count} sent again by the client, {retried.Count} retried here, {failed.Count} failed");
        lock (clientRetries)
        {
            foreach (var line in clientRetries)
            {
                output.WriteLine($"  client resent {line}");
            }
        }

        foreach (var line in retried)
        {
            output.WriteLine($"  retried {line}");
        }

        foreach (var line in failed)
        {
            output.WriteLine($"  FAILED  {line}");
        }

        var missing = new List<int>();
        foreach (var n in acknowledged.Order())
        {
            if (await client.GetString(Key(n)) != Value(n))
            {
                missing.Add(n);
            }
        }

        output.WriteLine(missing.Count == 0 ? "every acknowledged write is on the new master" : $"missing: {string.Join(", ", missing)}");
        Check.That(missing.Count == 0, $"acknowledged writes missing after the failover: {string.Join(", ", missing)}");
        if (killed is { } dead)
        {
            Check.That(now != dead, $"the master changed (was node {dead}, now node {now})");
            Check.That(clientRetries.Count > 0, "the writes held by the cut-off master were sent again to the new one");
            Check.That(retried.Count + failed.Count > 0, "the writes held by the killed master were reported (retried or failed)");
            Check.Equal(Writes, acknowledged.Count + failed.Count, "every write acknowledged or reported failed");
        }

        await client.Prune(Prefix);
    }

    /// <summary>Kills node <paramref name="node"/> once it holds <paramref name="writes"/> uncommitted writes (they are on their way to it).</summary>
    private static async Task<int> KillWithWritesQueuedAsync(KeyspaceServer server, int node, int writes, CancellationToken cancellationToken)
    {
        for (var waited = 0; server.QueuedWrites(node) < writes && waited < 2000; waited++)
        {
            await Task.Delay(1, cancellationToken);
        }

        await server.KillNodeAsync(node);
        return node;
    }

    /// <summary>Writes key <paramref name="n"/>, retrying a connection failure; true once acknowledged.</summary>
    private async Task<bool> WriteAsync(KeyspaceClient client, int n, List<string> retried, List<string> failed, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.Set(Key(n), Value(n)).WithCancellation(cancellationToken);
                return true;
            }
            catch (KeyspaceConnectionException e) when (attempt < Attempts)
            {
                lock (retried)
                {
                    retried.Add($"write {n} (attempt {attempt}: {e.GetType().Name}, {(e.MayHaveExecuted ? "may have executed" : "not executed")})");
                }
            }
            catch (Exception e) when (e is KeyspaceException or KeyspaceConnectionException or KeyspaceNoMasterException or ReactorTimeoutException)
            {
                lock (failed)
                {
                    failed.Add($"write {n} (attempt {attempt}: {e.GetType().Name}: {e.Message})");
                }

                return false;
            }
        }
    }

    private string Key(int n) => $"{Prefix}w{n:0000}";

    private static string Value(int n) => $"value {n}";
}
