using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Keyspace.KeyspaceNetwork;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>
/// Paged listings (the start-key rule of spec §15) and several nodes (§10.3): rejections, <c>n</c>, dirty reads,
/// master changes and batches, on virtual time over string transports.
/// </summary>
[Trait("Category", "Unit")]
public class KeyspaceListAndFailoverTests
{
    [Fact]
    public async Task AForwardListing_PagesAtTheLastKey_AndLosesNothingWhenThatKeyWasDeleted()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var keys = client.ListKeysAsync(KeyspaceRange.WithPrefix("k")).ToListAsync().AsTask();

        Assert.Equal(Frame("l:2:1:k:0::4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, string.Concat(Enumerable.Range(0, 1000).Select(i => Frame($"i:2:5:k{i:D4}"))) + Frame(".:2"));
        // The next page starts AT k0999 (offset 0); k0999 was deleted meanwhile, so the server starts after it.
        Assert.Equal(Frame("l:3:1:k:4:0999:4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("i:3:5:k1000") + Frame("i:3:5:k1001") + Frame(".:3"));

        var listed = (await keys.Within()).Select(Encoding.ASCII.GetString).ToList();
        Assert.Equal(1002, listed.Count);
        Assert.Equal(listed.Distinct().Count(), listed.Count);
        Assert.Equal(["k0998", "k0999", "k1000", "k1001"], listed[998..]);
    }

    [Fact]
    public async Task AForwardListing_DropsTheRepeatedStartKey_AndStopsAtTheLimit()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var keys = client.DirtyListKeyValuesAsync(new KeyspaceRange { Limit = 1001 }).ToListAsync().AsTask();

        Assert.Equal(Frame("P:2:0::0::4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, string.Concat(Enumerable.Range(0, 1000).Select(i => Frame($"j:2:4:{i:D4}:1:v"))) + Frame(".:2"));
        Assert.Equal(Frame("P:3:0::4:0999:1:2:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("j:3:4:0999:1:v") + Frame("j:3:4:1000:1:w") + Frame(".:3"));

        var listed = await keys.Within();
        Assert.Equal(1001, listed.Count);
        Assert.Equal(("1000", "w"), (Encoding.ASCII.GetString(listed[^1].Key), Encoding.ASCII.GetString(listed[^1].Value)));
    }

    [Fact]
    public async Task ABackwardListingWithAPrefix_StartsAboveTheRange_SinceTheServerGivesOneKeyOtherwise()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var keys = client.ListKeys(new KeyspaceRange { Prefix = "k"u8.ToArray(), Direction = KeyspaceDirection.Backward }).ToList().ToTask();

        var top = new string('\xFF', 999);
        Assert.Equal(Frame($"l:2:1:k:999:{top}:4:1000:1:0:1:b"), await net.Next(0));
        await net.Reply(0, Frame("i:2:2:k3") + Frame("i:2:2:k2") + Frame("i:2:2:k1") + Frame(".:2"));

        Assert.Equal(["k3", "k2", "k1"], (await keys.Within()).Select(Encoding.ASCII.GetString));
    }

    [Fact]
    public async Task ABackwardListingFromAMissingStartKey_LeavesOutTheLongerKeyTheServerLandsOn()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var keys = client.ListKeys(new KeyspaceRange { Prefix = "k"u8.ToArray(), StartKey = "k25"u8.ToArray(), Direction = KeyspaceDirection.Backward }).ToList().ToTask();

        Assert.Equal(Frame("l:2:1:k:2:25:4:1000:1:0:1:b"), await net.Next(0));
        await net.Reply(0, Frame("i:2:4:k250") + Frame("i:2:2:k2") + Frame("i:2:2:k1") + Frame(".:2"));

        Assert.Equal(["k2", "k1"], (await keys.Within()).Select(Encoding.ASCII.GetString));
    }

    [Fact]
    public async Task AListingAnsweredFailed_OnAConnectionThatStaysOpen_IsAnError_NotAnEmptyList()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var keys = client.ListKeysAsync().ToListAsync().AsTask();

        Assert.Equal(Frame("l:2:0::0::4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("f:2"));
        Assert.Equal(Frame("m:3"), await net.Take(0));
        await net.Reply(0, Frame("o:3:1:0"));

        await Assert.ThrowsAsync<KeyspaceException>(() => keys.Within());
    }

    [Fact]
    public async Task AListing_IsCold_EachSubscriptionRunsItAgain()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var listing = client.DirtyListKeys(KeyspaceRange.WithPrefix("a"));

        Assert.Equal("", await net.Take(0));
        var first = listing.ToList().ToTask();
        Assert.Equal(Frame("L:2:1:a:0::4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("i:2:2:a1") + Frame(".:2"));
        var second = listing.ToList().ToTask();
        Assert.Equal(Frame("L:3:1:a:0::4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("i:3:2:a2") + Frame(".:3"));

        Assert.Equal("a1", Encoding.ASCII.GetString((await first.Within()).Single()));
        Assert.Equal("a2", Encoding.ASCII.GetString((await second.Within()).Single()));
    }

    [Fact]
    public async Task ACountThatReachesTheSafeLimit_IsCountedByListing()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var count = client.Count().ToTask();

        Assert.Equal(Frame("c:2:0::0::3:999:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("o:2:3:999"));
        Assert.Equal(Frame("l:3:0::0::4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, string.Concat(Enumerable.Range(0, 1000).Select(i => Frame($"i:3:4:{i:D4}"))) + Frame(".:3"));
        Assert.Equal(Frame("l:4:0::4:0999:4:1000:1:0:1:f"), await net.Next(0));
        await net.Reply(0, Frame("i:4:4:0999") + Frame("i:4:4:1000") + Frame(".:4"));

        Assert.Equal(1001, await count.Within());
    }

    [Fact]
    public async Task ARejection_RetriesTheReadOnTheNewMaster_AndFailsTheWriteCutOffBehindIt()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = await Connected(net, 2);
        var lost = client.MasterChanges.FirstAsync().ToTask();
        var newMaster = client.MasterChanges.Where(m => m == 1).FirstAsync().ToTask();
        Deferred<System.Reactive.Unit> set = null!;
        Deferred<byte[]?> get = null!;
        await net.OnLoop(() => (set, get) = (client.Set("a", "1"), client.Get("b")));
        Assert.Equal(Frame("s:2:1:a:1:1") + Frame("g:3:1:b") + "1:*", await net.Take(0));

        // Node 0 lost the lease: it rejects the get (f, then it closes); the queued set may still have been applied.
        await net.Reply(0, Frame("f:3"));
        await net.Close(0);

        var cut = await Assert.ThrowsAsync<KeyspaceConnectionException>(() => set.ToTask().Within());
        Assert.True(cut.MayHaveExecuted);
        Assert.Equal(Frame("m:2"), await net.Take(1));
        await net.Reply(1, Frame("o:2:1:1"));
        Assert.Equal(Frame("g:3:1:b"), await net.Take(1));
        await net.Reply(1, Frame("o:3:1:v"));
        Assert.Equal("v", Encoding.ASCII.GetString((await get.ToTask().Within())!));
        Assert.Equal(1, client.Master);
        Assert.Null(await lost.Within());
        Assert.Equal(1, await newMaster.Within());
    }

    [Fact]
    public async Task ARejectedWrite_DidNotExecute_AndIsSentToTheNewMaster()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = await Connected(net, 2);
        var retry = client.Retries.FirstAsync().ToTask();
        Deferred<long> add = null!;
        await net.OnLoop(() => add = client.Add("n", 1));
        Assert.Equal(Frame("a:2:1:n:1:1") + "1:*", await net.Take(0));

        await net.Reply(0, Frame("f:2"));
        await net.Close(0);
        await net.Take(1);
        await net.Reply(1, Frame("o:2:1:1"));

        Assert.Equal(Frame("a:3:1:n:1:1") + "1:*", await net.Take(1));
        await net.Reply(1, Frame("o:3:1:8"));
        Assert.Equal(8, await add.ToTask().Within());
        var seen = await retry.Within();
        Assert.Equal(("ADD 'n'", "n", 0, KeyspaceRetryReason.Rejected), (seen.Operation, Encoding.UTF8.GetString(seen.Key), seen.Node, seen.Reason));
    }

    [Fact]
    public async Task NotMaster_OnAWrite_MeansItWasNotApplied_SoItIsResentToTheNextMaster()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = await Connected(net, 2);
        Deferred<System.Reactive.Unit> set = null!;
        await net.OnLoop(() => set = client.Set("a", "1"));
        Assert.Equal(Frame("s:2:1:a:1:1") + "1:*", await net.Take(0));

        await net.Reply(0, Frame("n:2"));

        Assert.Null(client.Master);
        Assert.Equal(Frame("m:3"), await net.Take(0));
        await net.Reply(0, Frame("o:3:1:1"));
        Assert.Equal(Frame("m:2"), await net.Take(1));
        await net.Reply(1, Frame("o:2:1:1"));
        Assert.Equal(Frame("s:3:1:a:1:1") + "1:*", await net.Take(1));
        await net.Reply(1, Frame("o:3"));
        await set.ToTask().Within();
    }

    [Fact]
    public async Task AfterTheMastersConnectionDrops_ACallWaitsForAMaster_NotInTheDeadNodesBacklog()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = await Connected(net, 2);
        await net.Close(0);

        var get = client.Get("k");
        await net.Settle();
        Assert.Equal(Frame("m:2"), await net.Take(1));
        await net.Reply(1, Frame("o:2:1:1"));

        Assert.Equal(Frame("g:3:1:k"), await net.Take(1));
        await net.Reply(1, Frame("o:3:1:v"));
        Assert.Equal("v", Encoding.ASCII.GetString((await get.ToTask().Within())!));
    }

    [Fact]
    public async Task WhenTheMasterReconnectsAndConfirmsItself_TheWaitingCallsGoToIt()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        await net.Close(0);

        var set = client.Set("k", "v");
        await net.AcceptAndAnswerProbe(0, 0);

        Assert.Equal(Frame("s:2:1:k:1:v") + "1:*", await net.Take(0));
        await net.Reply(0, Frame("o:2"));
        await set.ToTask().Within();
    }

    [Fact]
    public async Task DirtyReads_GoToAConnectedNode_WithoutWaitingForAMaster()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options());
        var first = client.GetMaster();
        await net.Settle();
        await net.OnLoop(() => net.Nodes[0].Refuse());
        await net.AcceptAndAnswerProbe(1, null);

        var dirty = client.DirtyGet("k");

        Assert.Equal(Frame("G:2:1:k"), await net.Next(1));
        await net.Reply(1, Frame("o:2:1:v"));
        Assert.Equal("v", Encoding.ASCII.GetString((await dirty.ToTask().Within())!));
        Assert.False(first.Called);
    }

    [Fact]
    public async Task ABatch_RefusesAMix_AndItsWritesShareOneSubmit()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net, 1);
        var batch = client.Batch();
        var a = batch.Set("a", "1");
        var b = batch.Delete("b"u8.ToArray());

        Assert.Throws<KeyspaceBadCallException>(() => batch.Get("a"));
        Assert.Throws<KeyspaceBadCallException>(() => batch.DirtyGet("a"));
        var done = batch.Submit();
        Assert.Throws<KeyspaceBadCallException>(() => batch.Set("c", "3"));

        Assert.Equal(Frame("s:2:1:a:1:1") + Frame("d:3:1:b") + "1:*", await net.Next(0));
        await net.Reply(0, Frame("o:2") + Frame("o:3"));
        await done.ToTask().Within();
        await a.ToTask().Within();
        Assert.True(await b.ToTask().Within());
    }

    [Theory]
    [InlineData("keyspace://a:7080", "a:7080")]
    [InlineData("keyspace://a:7080,b:7081,[::1]:7082", "a:7080 b:7081 ::1:7082")]
    public void TheUrl_ListsTheNodesInNodeIdOrder(string url, string nodes)
    {
        Assert.Equal(nodes, string.Join(" ", KeyspaceOptions.Parse(url).Nodes.Select(n => $"{n.Host}:{n.Port}")));
    }

    [Theory]
    [InlineData("keyspace://a")]
    [InlineData("keyspace://a:7080,b")]
    [InlineData("redis://a:7080")]
    public void AUrlWithoutEveryPort_OrAnotherScheme_IsRefused(string url)
    {
        Assert.Throws<FormatException>(() => KeyspaceOptions.Parse(url));
    }

    [Fact]
    public async Task ConnectAsync_FailsWithATypedError_WhenNoNodeCanBeReached_AndFailFastCallsFailAtOnce()
    {
        await using var net = new KeyspaceNetwork(2);
        var connecting = KeyspaceClient.ConnectAsync(net.Reactor, net.Options() with { DisconnectedBehavior = DisconnectedBehavior.FailFast, Reconnect = ReconnectPolicy.Never });
        await net.Settle();
        await net.OnLoop(() =>
        {
            net.Nodes[0].Refuse();
            net.Nodes[1].Refuse();
        });

        var error = await Assert.ThrowsAsync<KeyspaceConnectionException>(() => connecting.Within());
        Assert.False(error.MayHaveExecuted);
        Assert.IsType<ConnectionRefusedException>(error.InnerException);
    }

    [Fact]
    public async Task DirtyReads_GoToTheNamedNode_WhileItIsConnected_AndElsewhereWhenItIsNot()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options() with { DirtyReadNode = 1 });
        var master = client.GetMaster();
        await net.AcceptAndAnswerProbe(0, 0);
        await master.ToTask().Within();
        await net.AcceptAndAnswerProbe(1, 0);

        Deferred<byte[]?>[] reads = null!;
        await net.OnLoop(() => reads = [client.DirtyGet("a"), client.DirtyGet("b"), client.DirtyGet("c")]);
        Assert.Equal(Frame("G:2:1:a") + Frame("G:3:1:b") + Frame("G:4:1:c"), await net.Take(1));
        Assert.Equal("", await net.Take(0));
        await net.Reply(1, Frame("o:2:1:1") + Frame("o:3:1:2") + Frame("o:4:1:3"));
        Assert.Equal("3", Encoding.UTF8.GetString((await reads[2].ToTask().Within())!));

        await net.Close(1);
        Deferred<byte[]?> fallback = null!;
        await net.OnLoop(() => fallback = client.DirtyGet("d"));
        Assert.Equal(Frame("G:2:1:d"), await net.Take(0));
        await net.Reply(0, Frame("o:2:1:4"));
        Assert.Equal("4", Encoding.UTF8.GetString((await fallback.ToTask().Within())!));
    }

    [Theory]
    [InlineData("keyspace://a:1,b:2?dirty-read-node=1", 1)]
    [InlineData("keyspace://a:1,b:2", null)]
    public void TheUrl_NamesTheDirtyReadNode(string url, int? node) => Assert.Equal(node, KeyspaceOptions.Parse(url).DirtyReadNode);

    [Fact]
    public void TheUrl_RefusesADirtyReadNodeOutsideTheCluster() =>
        Assert.Throws<FormatException>(() => KeyspaceOptions.Parse("keyspace://a:1,b:2?dirty-read-node=2"));

    private static async Task<KeyspaceClient> Connected(KeyspaceNetwork net, int nodes)
    {
        var client = KeyspaceClient.Create(net.Reactor, net.Options());
        var master = client.GetMaster();
        await net.AcceptAndAnswerProbe(0, 0);
        Assert.Equal(0, await master.ToTask().Within());
        if (nodes > 1)
        {
            await net.AcceptAndAnswerProbe(1, 0);
        }

        return client;
    }
}
