using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Keyspace.KeyspaceNetwork;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>
/// The Keyspace client on virtual time over string transports, one per node: what it writes for each call (the
/// spec's recorded layouts), id matching with out-of-order replies, one submit per loop turn, held failures told
/// from rejections, master discovery and timeouts.
/// </summary>
[Trait("Category", "Unit")]
public class KeyspaceClientTests
{
    [Fact]
    public async Task EveryCall_WaitsForTheMaster_IsWrittenAsTheSpecLaysItOut_AndTheWritesShareOneSubmit()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options());
        var set = client.Set("kprobe/a", "1");
        var get = client.Get("kprobe/b");
        var empty = client.Get("kprobe/c");
        var add = client.Add("kprobe/a", 41);
        var tas = client.TestAndSet("k", "v1", "v2");
        var rename = client.Rename("k", "j");
        var delete = client.Delete("k");
        var remove = client.Remove("k");
        var prune = client.Prune("");
        var expiry = client.SetExpiry("k", 60);
        var noExpiry = client.RemoveExpiry("k");
        var clear = client.ClearExpiries();
        var count = client.Count(KeyspaceRange.WithPrefix("kprobe/"));

        await net.AcceptAndAnswerProbe(0, 0);

        Assert.Equal(
            Frame("s:2:8:kprobe/a:1:1") + Frame("g:3:8:kprobe/b") + Frame("g:4:8:kprobe/c") + Frame("a:5:8:kprobe/a:2:41")
            + Frame("t:6:1:k:2:v1:2:v2") + Frame("e:7:1:k:1:j") + Frame("d:8:1:k") + Frame("r:9:1:k") + Frame("z:10:0:")
            + Frame("x:11:1:k:2:60") + Frame("X:12:1:k") + Frame("w:13") + Frame("c:14:7:kprobe/:0::3:999:1:0:1:f") + "1:*",
            await net.Take(0));

        // Reads first, then the writes in round order (§6): matched by id, not by position.
        await net.Reply(0, Frame("o:14:1:3") + Frame("o:4:0:") + Frame("o:3:3:two") + Frame("o:2") + Frame("o:5:2:42") + Frame("o:6:2:v2") + Frame("o:7")
            + Frame("o:8") + Frame("o:9:3:old") + Frame("o:10") + Frame("o:11") + Frame("o:12") + Frame("o:13"));

        Assert.Equal(3, await count.ToTask().Within());
        Assert.Equal("", Encoding.ASCII.GetString((await empty.ToTask().Within())!));
        Assert.Equal("two", Encoding.ASCII.GetString((await get.ToTask().Within())!));
        await set.ToTask().Within();
        Assert.Equal(42, await add.ToTask().Within());
        Assert.True((await tas.ToTask().Within()).Swapped);
        Assert.True(await rename.ToTask().Within());
        Assert.True(await delete.ToTask().Within());
        Assert.Equal("old", Encoding.ASCII.GetString((await remove.ToTask().Within())!));
        await Task.WhenAll(prune.ToTask(), expiry.ToTask(), noExpiry.ToTask(), clear.ToTask()).Within();
    }

    [Fact]
    public async Task WritesOfOneLoopTurn_ShareOneSubmit_AndEachLaterTurnSendsItsOwn()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net);

        await net.OnLoop(() =>
        {
            client.Set("a", "1");
            client.Set("b", "2");
            client.Get("a");
            client.Delete("c");
        });
        Assert.Equal(Frame("s:2:1:a:1:1") + Frame("s:3:1:b:1:2") + Frame("g:4:1:a") + Frame("d:5:1:c") + "1:*", await net.Take(0));

        await net.OnLoop(() => client.Get("a"));
        Assert.Equal(Frame("g:6:1:a"), await net.Take(0));
        await net.OnLoop(() => client.Add("n", -3));
        Assert.Equal(Frame("a:7:1:n:2:-3") + "1:*", await net.Take(0));
    }

    [Fact]
    public async Task AFailedReply_IsHeldUntilTheConnectionProvesOpen_ThenIsAMissingKey()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net);
        Deferred<byte[]?> get = null!;
        Deferred<bool> delete = null!;
        Deferred<long> add = null!;
        Deferred<KeyspaceTestAndSetResult> tas = null!;
        await net.OnLoop(() =>
        {
            get = client.Get("kprobe/zz");
            delete = client.Delete("gone");
            add = client.Add("text", 1);
            tas = client.TestAndSet("none", "a", "b");
        });
        Assert.Equal(Frame("g:2:9:kprobe/zz") + Frame("d:3:4:gone") + Frame("a:4:4:text:1:1") + Frame("t:5:4:none:1:a:1:b") + "1:*", await net.Take(0));

        await net.Reply(0, Frame("f:2"));
        Assert.False(get.Called);
        Assert.Equal(Frame("m:6"), await net.Take(0));
        await net.Reply(0, Frame("o:6:1:0") + Frame("f:3") + Frame("f:4") + Frame("f:5") + Frame("o:7:1:0"));

        Assert.Null(await get.ToTask().Within());
        Assert.False(await delete.ToTask().Within());
        var failed = await Assert.ThrowsAsync<KeyspaceException>(() => add.ToTask().Within());
        Assert.Contains("not a decimal number", failed.Message);
        Assert.Equal(new KeyspaceTestAndSetResult(false, null), await tas.ToTask().Within());
    }

    [Fact]
    public async Task TestAndSet_SwappedOnlyWhenTheReturnedValueIsTheNewOne()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net);
        Deferred<KeyspaceTestAndSetResult> swapped = null!, kept = null!;
        await net.OnLoop(() => (swapped, kept) = (client.TestAndSet("k", "old", "new"), client.TestAndSet("k", "old", "new")));
        await net.Take(0);

        await net.Reply(0, Frame("o:2:3:new") + Frame("o:3:5:other"));

        Assert.True((await swapped.ToTask().Within()).Swapped);
        var result = await kept.ToTask().Within();
        Assert.False(result.Swapped);
        Assert.Equal("other", Encoding.ASCII.GetString(result.Current!));
    }

    [Fact]
    public async Task KeysAndValuesOverTheLimits_FailAlone_BeforeAnythingIsSent()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net);

        var longKey = client.Set(new byte[KeyspaceLimits.MaxKeyBytes + 1], [1]);
        var longValue = client.Set([1], new byte[KeyspaceLimits.MaxValueBytes + 1]);
        var longTest = client.TestAndSet([1], new byte[KeyspaceLimits.MaxValueBytes + 1], [2]);
        var fine = client.Set(new byte[KeyspaceLimits.MaxKeyBytes], new byte[KeyspaceLimits.MaxValueBytes]);

        Assert.Contains("above Keyspace's limit of 1000", (await Assert.ThrowsAsync<KeyspaceBadCallException>(() => longKey.ToTask().Within())).Message);
        await Assert.ThrowsAsync<KeyspaceBadCallException>(() => longValue.ToTask().Within());
        await Assert.ThrowsAsync<KeyspaceBadCallException>(() => longTest.ToTask().Within());
        var written = await net.Take(0);
        Assert.StartsWith("101017:s:2:1000:", written);
        await net.Reply(0, Frame("o:2"));
        await fine.ToTask().Within();
    }

    [Fact]
    public async Task AReplyNobodyAskedFor_FailsTheConnection_AndWritesInFlightMayHaveExecuted()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net);
        var set = client.Set("a", "1");
        await net.Take(0);

        await net.Reply(0, Frame("o:999"));

        var lost = await Assert.ThrowsAsync<KeyspaceConnectionException>(() => set.ToTask().Within());
        Assert.True(lost.MayHaveExecuted);
        Assert.IsType<ProtocolErrorException>(lost.InnerException);
    }

    [Fact]
    public async Task TheGlobalTimeout_FailsASentCall_AsMayHaveExecuted_OnTheReactorClock()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options(operationTimeout: TimeSpan.FromSeconds(5)));
        var set = client.Set("a", "1");
        await net.AcceptAndAnswerProbe(0, 0);
        await net.Take(0);

        await net.Advance(TimeSpan.FromSeconds(5));

        var timeout = await Assert.ThrowsAsync<KeyspaceTimeoutException>(() => set.ToTask().Within());
        Assert.True(timeout.MayHaveExecuted);
    }

    [Fact]
    public async Task LateRepliesToTimedOutCalls_AreDropped_AndTheConnectionKeepsServing()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options(operationTimeout: TimeSpan.FromSeconds(5)) with { MaxInFlight = 2 });
        var set = client.Set("a", "1");
        var get = client.Get("b");
        await net.AcceptAndAnswerProbe(0, 0);
        Assert.Equal(Frame("s:2:1:a:1:1") + Frame("g:3:1:b") + "1:*", await net.Take(0));
        await net.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<KeyspaceTimeoutException>(() => set.ToTask().Within());
        await Assert.ThrowsAsync<KeyspaceTimeoutException>(() => get.ToTask().Within());

        // The timed-out calls left the window of 2: the next call goes out before their replies come.
        var next = client.Get("c");
        Assert.Equal(Frame("g:4:1:c"), await net.Take(0));
        await net.Reply(0, Frame("o:2") + Frame("o:3:3:old"));
        await net.Reply(0, Frame("o:4:3:new"));

        Assert.Equal("new", Encoding.UTF8.GetString((await next.ToTask().Within())!));
        Assert.False(net.Nodes[0].Current.Aborted || net.Nodes[0].Current.Disconnecting);

        // Once answered, a forgotten id is no longer expected: a second reply to it is a protocol error.
        await net.Reply(0, Frame("o:3:3:dup"));
        await net.Settle();
        Assert.True(net.Nodes[0].Current.Aborted || net.Nodes[0].Current.Disconnecting);
    }

    [Fact]
    public async Task WithoutAMaster_ACallFailsAfterTheMasterTimeout_AndWasNeverSent()
    {
        await using var net = new KeyspaceNetwork(2);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options(masterTimeout: TimeSpan.FromSeconds(3)));
        var set = client.Set("a", "1");
        await net.AcceptAndAnswerProbe(0, null);
        await net.Settle();
        await net.OnLoop(() => net.Nodes[1].Refuse());

        await net.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Frame("m:2"), await net.Take(0));
        await net.Reply(0, Frame("n:2"));
        await net.Advance(TimeSpan.FromSeconds(2));

        var noMaster = await Assert.ThrowsAsync<KeyspaceNoMasterException>(() => set.ToTask().Within());
        Assert.True(noMaster.AnyNodeConnected);
        Assert.Equal(Frame("m:3"), await net.Take(0)); // still asking every second, never sending the write
    }

    [Fact]
    public async Task TheGlobalTimeout_AlsoEndsAWaitForTheMaster_AndTheCallWasNotSent()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = KeyspaceClient.Create(net.Reactor, net.Options(operationTimeout: TimeSpan.FromSeconds(2), masterTimeout: TimeSpan.FromSeconds(10)));
        var get = client.Get("k");
        await net.AcceptAndAnswerProbe(0, null);

        await net.Advance(TimeSpan.FromSeconds(2));

        var timeout = await Assert.ThrowsAsync<KeyspaceTimeoutException>(() => get.ToTask().Within());
        Assert.False(timeout.MayHaveExecuted);
    }

    [Fact]
    public async Task ABatchOfDirtyReads_GoesOutInOneTurn_WithNoSubmit()
    {
        await using var net = new KeyspaceNetwork(1);
        await using var client = await Connected(net);
        var batch = client.Batch();
        var a = batch.DirtyGet("a");
        var b = batch.DirtyGet("b");
        Assert.Throws<KeyspaceBadCallException>(() => batch.Set("c", "3"));

        var done = batch.Submit();

        Assert.Equal(Frame("G:2:1:a") + Frame("G:3:1:b"), await net.Take(0));
        await net.Reply(0, Frame("o:3:1:B") + Frame("f:2") + Frame("o:4:1:0"));
        await done.ToTask().Within();
        Assert.Null(await a.ToTask().Within());
        Assert.Equal("B", Encoding.ASCII.GetString((await b.ToTask().Within())!));
    }

    private static async Task<KeyspaceClient> Connected(KeyspaceNetwork net)
    {
        var client = KeyspaceClient.Create(net.Reactor, net.Options());
        var master = client.GetMaster();
        await net.AcceptAndAnswerProbe(0, 0);
        Assert.Equal(0, await master.ToTask().Within());
        return client;
    }
}
