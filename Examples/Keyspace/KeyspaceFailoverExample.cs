using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Keyspace;

/// <summary>
/// Keeps writing to a 3-node embedded cluster while its master is killed: a write that fails with a connection error
/// is retried (a set is idempotent, so a retry of one that may have executed is harmless), one that finds no master in
/// time fails; at the end every acknowledged write must be on the new master.
/// </summary>
public sealed class KeyspaceFailoverExample : KeyspaceExample
{
    private const int Writes = 300;
    private const int KillAfter = 100;
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

        var acknowledged = new List<int>();
        var retried = new List<string>();
        var failed = new List<string>();
        int? killed = null;
        var killTried = false;
        for (var i = 0; i < Writes; i++)
        {
            // Up to 8 writes in flight; the master is killed while a window is on the wire.
            var window = Enumerable.Range(i, Math.Min(8, Writes - i)).ToList();
            i += window.Count - 1;
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
            if (window[0] >= KillAfter && !killTried)
            {
                killTried = true;
                if (server is null)
                {
                    output.WriteLine("a real cluster: not killing anything (stop its master by hand to see a failover)");
                }
                else
                {
                    killed = await server.KillMasterAsync();
                    output.WriteLine($"killed master node {killed} with writes {window[0]}..{window[^1]} in flight");
                }
            }

            await inFlight;
        }

        var now = await client.GetMaster().WithCancellation(cancellationToken);
        lock (masters)
        {
            output.WriteLine($"master changes seen: {string.Join(" -> ", masters.Select(m => m?.ToString() ?? "none"))}; master now node {now}");
        }

        output.WriteLine($"{acknowledged.Count} of {Writes} writes acknowledged, {retried.Count} retried, {failed.Count} failed");
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
            Check.Equal(Writes, acknowledged.Count + failed.Count, "every write acknowledged or reported failed");
        }

        await client.Prune(Prefix);
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
                    retried.Add($"write {n} (attempt {attempt}: {(e.MayHaveExecuted ? "may have executed" : "not executed")}: {e.Message})");
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
