using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Keyspace;

/// <summary>The Python client's API tour: set/get, test-and-set, add, a batch of writes, paged key listing, set-expiry.</summary>
public sealed class KeyspaceTourExample : KeyspaceExample
{
    private const int ManyKeys = 2500;

    /// <inheritdoc />
    public override string Name => "keyspace-tour";

    /// <inheritdoc />
    public override string Description => "Keyspace API tour: set/get, test-and-set, add, a batch, listing 2500 keys in pages, set-expiry";

    /// <inheritdoc />
    protected override async Task RunAsync(KeyspaceClient client, KeyspaceServer? server, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"master: node {await client.GetMaster().WithCancellation(cancellationToken)}");

        // set / get
        await client.Set(Prefix + "name", "ann");
        var name = await client.GetString(Prefix + "name");
        output.WriteLine($"set/get name -> {name}");
        Check.Equal("ann", name, "get after set");
        Check.That(await client.GetString(Prefix + "missing") is null, "get of a missing key is null");

        // test-and-set: swapped when the value matches, not swapped (with the current value) when it does not
        var swapped = await client.TestAndSet(Prefix + "name", "ann", "bob");
        var notSwapped = await client.TestAndSet(Prefix + "name", "ann", "cid");
        output.WriteLine($"test-and-set ann->bob: swapped {swapped.Swapped}; ann->cid: swapped {notSwapped.Swapped}, current {Show(notSwapped.Current)}");
        Check.That(swapped.Swapped, "test-and-set with the right test value swaps");
        Check.That(!notSwapped.Swapped, "test-and-set with a stale test value does not swap");
        Check.Equal("bob", await client.GetString(Prefix + "name"), "value after the two test-and-sets");

        // add
        await client.Set(Prefix + "counter", "10");
        var added = await client.Add(Prefix + "counter", 5);
        var subtracted = await client.Add(Prefix + "counter", -3);
        output.WriteLine($"add 10 + 5 -> {added}, then - 3 -> {subtracted}");
        Check.Equal(15L, added, "add 5");
        Check.Equal(12L, subtracted, "add -3");

        // a batch of writes: sent back to back, one submit round
        var batch = client.Batch();
        var writes = Enumerable.Range(0, 5).Select(i => batch.Set($"{Prefix}batch:{i}", $"v{i}")).ToList();
        var batchAdd = batch.Add(Encoding.UTF8.GetBytes(Prefix + "counter"), 100);
        await batch.Submit();
        await Deferred.Gather(writes);
        output.WriteLine($"batch of {batch.Count} writes submitted; counter now {await batchAdd}");
        Check.Equal(112L, await batchAdd, "add in the batch");
        var batchKeys = await client.ListKeys(KeyspaceRange.WithPrefix(Prefix + "batch:")).Select(Show).ToList().ToTask(cancellationToken);
        Check.Sequence(Enumerable.Range(0, 5).Select(i => $"{Prefix}batch:{i}"), batchKeys, "keys written by the batch");

        // list-keys with paging: more keys than one page (1000) holds
        await Deferred.Gather(Enumerable.Range(0, ManyKeys).Select(i => client.Set($"{Prefix}many:{i:00000}", $"{i}")));
        var pages = 0;
        var listed = await client.ListKeys(KeyspaceRange.WithPrefix(Prefix + "many:"))
            .Select(Show)
            .Buffer(1000)
            .Do(_ => pages++)
            .SelectMany(page => page)
            .ToList()
            .ToTask(cancellationToken);
        output.WriteLine($"wrote {ManyKeys} keys, listed {listed.Count} (the client pages the server at 1000 keys; Buffer(1000) saw {pages} chunks), first {listed.FirstOrDefault()}, last {listed.LastOrDefault()}");
        Check.Equal(ManyKeys, listed.Count, "keys listed");
        Check.Sequence(Enumerable.Range(0, ManyKeys).Select(i => $"{Prefix}many:{i:00000}"), listed, "listed keys, in order");
        var counted = await client.Count(KeyspaceRange.WithPrefix(Prefix + "many:"));
        output.WriteLine($"count -> {counted}");
        Check.Equal((long)ManyKeys, counted, "count of the listed range");

        // set-expiry: the embedded cluster fires it (a real 1.9.0 server never does, §7.5)
        await client.Set(Prefix + "session", "token");
        await client.SetExpiry(Prefix + "session", 1);
        if (server is null)
        {
            output.WriteLine("set-expiry 1 s sent (a 1.9.0 server does not fire expiries, so not waiting for it)");
        }
        else
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (await client.GetString(Prefix + "session") is not null && clock.Elapsed < TimeSpan.FromSeconds(4))
            {
                await Task.Delay(100, cancellationToken);
            }

            output.WriteLine($"set-expiry 1 s: key gone after {clock.Elapsed.TotalSeconds:0.0} s");
            Check.That(await client.GetString(Prefix + "session") is null, "key with a 1 s expiry is gone");
        }

        await client.Prune(Prefix);
        Check.Equal(0L, await client.Count(KeyspaceRange.WithPrefix(Prefix)), "keys left after pruning the run's prefix");
        output.WriteLine("pruned this run's keys");
    }

    private static string Show(byte[]? bytes) => bytes is null ? "(null)" : Encoding.UTF8.GetString(bytes);
}
