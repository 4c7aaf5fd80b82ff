using ReactiveKv.Keyspace;
using static ReactiveKv.Tests.Keyspace.KeyspaceTestCluster;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>Every command's semantics (§7) on a single node and on a 3-node cluster, where every node must end with the master's data.</summary>
public class KeyspaceCommandTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SetGetAndDirtyGet(int nodes)
    {
        await using var cluster = await StartAsync(nodes);
        var c = await cluster.ConnectMasterAsync();

        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("k", "v1"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("k", "v2"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("", "empty key"))).Type);

        Assert.Equal("v2", S((await c.CallAsync(Ks.Get("k"))).Value));
        Assert.Equal("empty key", S((await c.CallAsync(Ks.Get(""))).Value));
        Assert.Equal(KeyspaceReplyType.Failed, (await c.CallAsync(Ks.Get("missing"))).Type);
        for (var node = 0; node < nodes; node++)
        {
            var d = await cluster.ConnectAsync(node);
            Assert.Equal("v2", S((await d.CallAsync(Ks.Get("k", dirty: true))).Value));
            Assert.Equal(KeyspaceReplyType.Failed, (await d.CallAsync(Ks.Get("missing", dirty: true))).Type);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task TestAndSet_ReturnsTheValueNowStored_AndFailsOnlyOnAMissingKey(int nodes)
    {
        await using var cluster = await StartAsync(nodes);
        var c = await cluster.ConnectMasterAsync();
        await c.WriteAsync(Ks.Set("k", "old"));

        var swapped = await c.WriteAsync(Ks.TestAndSet("k", "old", "new"));
        var mismatch = await c.WriteAsync(Ks.TestAndSet("k", "old", "newer"));
        var missing = await c.WriteAsync(Ks.TestAndSet("nope", "", "x"));

        Assert.Equal((KeyspaceReplyType.Ok, "new"), (swapped.Type, S(swapped.Value)));
        Assert.Equal((KeyspaceReplyType.Ok, "new"), (mismatch.Type, S(mismatch.Value)));
        Assert.Equal(KeyspaceReplyType.Failed, missing.Type);
        Assert.Null(cluster.Server.Peek(nodes - 1, B("nope")));
        Assert.Equal("new", S(cluster.Server.Peek(nodes - 1, B("k"))));
    }

    [Theory]
    [InlineData(1, "10", -3, "7")]
    [InlineData(3, "10", -3, "7")]
    [InlineData(1, "", 5, "5")]
    [InlineData(1, "-007", 10, "3")]
    [InlineData(3, "9223372036854775807", 1, "-9223372036854775808")]
    [InlineData(1, "41", 1, "42")]
    public async Task Add_WrapsAndTakesEmptyAsZero(int nodes, string stored, long delta, string expected)
    {
        await using var cluster = await StartAsync(nodes);
        var c = await cluster.ConnectMasterAsync();
        await c.WriteAsync(Ks.Set("n", stored));

        var reply = await c.WriteAsync(Ks.Add("n", delta));

        Assert.Equal((KeyspaceReplyType.Ok, expected), (reply.Type, S(reply.Value)));
        Assert.Equal(expected, S(cluster.Server.Peek(nodes - 1, B("n"))));
    }

    [Theory]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1x")]
    [InlineData("-")]
    public async Task Add_OnANonNumber_FailsAndChangesNothing(string stored)
    {
        await using var cluster = await StartAsync(3);
        var c = await cluster.ConnectMasterAsync();
        await c.WriteAsync(Ks.Set("n", stored));

        Assert.Equal(KeyspaceReplyType.Failed, (await c.WriteAsync(Ks.Add("n", 1))).Type);
        Assert.Equal(KeyspaceReplyType.Failed, (await c.WriteAsync(Ks.Add("missing", 1))).Type);
        Assert.Equal(stored, S(cluster.Server.Peek(2, B("n"))));
        Assert.Null(cluster.Server.Peek(2, B("missing")));
    }

    [Fact]
    public async Task Add_TakesTheCLibrarysUnsignedFormOfANegativeDelta()
    {
        await using var cluster = await StartAsync();
        var c = await cluster.ConnectAsync();
        await c.WriteAsync(Ks.Set("n", "10"));

        await c.SendAsync("31:a:5:1:n:20:184467440737095516131:*");

        Assert.Equal("7:o:5:1:7", await c.NextAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task RenameDeleteRemoveAndPrune(int nodes)
    {
        await using var cluster = await StartAsync(nodes);
        var c = await cluster.ConnectMasterAsync();
        foreach (var (k, v) in new[] { ("a", "1"), ("b", "2"), ("p/1", "x"), ("p/2", "y"), ("q", "z") })
        {
            await c.WriteAsync(Ks.Set(k, v));
        }

        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Rename("a", "b"))).Type);
        Assert.Equal(KeyspaceReplyType.Failed, (await c.WriteAsync(Ks.Rename("a", "c"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Delete("b"))).Type);
        Assert.Equal(KeyspaceReplyType.Failed, (await c.WriteAsync(Ks.Delete("b"))).Type);
        var removed = await c.WriteAsync(Ks.Remove("q"));
        Assert.Equal((KeyspaceReplyType.Ok, "z"), (removed.Type, S(removed.Value)));
        Assert.Equal(KeyspaceReplyType.Failed, (await c.WriteAsync(Ks.Remove("q"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Prune("p/"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Prune("nothing/"))).Type);

        for (var node = 0; node < nodes; node++)
        {
            Assert.Empty(await (await cluster.ConnectAsync(node)).ListAsync(Ks.Range(KeyspaceCommand.DirtyListKeys)));
        }
    }

    [Fact]
    public async Task Prune_WithTheEmptyPrefix_DeletesEverything_AndRenameOverwritesItsTarget()
    {
        await using var cluster = await StartAsync(3);
        var c = await cluster.ConnectMasterAsync();
        await c.WriteAsync(Ks.Set("from", "moved"));
        await c.WriteAsync(Ks.Set("to", "overwritten"));
        await c.WriteAsync(Ks.Rename("from", "to"));
        Assert.Equal(["to=moved"], await c.ListAsync(Ks.Range(KeyspaceCommand.ListKeyValues)));

        await c.WriteAsync(Ks.Prune(""));

        Assert.Equal("0", S((await c.CallAsync(Ks.Count())).Value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Expiry_DeletesWhatIsStoredWhenItsTimeComes_AndRemoveOrClearKeepsTheKey(int nodes)
    {
        await using var cluster = await StartAsync(nodes);
        var c = await cluster.ConnectMasterAsync();
        foreach (var key in new[] { "a", "b", "c" })
        {
            await c.WriteAsync(Ks.Set(key, "v"));
        }

        await c.WriteAsync(Ks.SetExpiry("a", 2));
        await c.WriteAsync(Ks.SetExpiry("b", 2));
        await c.WriteAsync(Ks.SetExpiry("c", 2));
        await c.WriteAsync(Ks.SetExpiry("later", 2));
        await c.WriteAsync(Ks.RemoveExpiry("b"));
        await c.WriteAsync(Ks.Set("a", "overwritten"));

        cluster.Clock.AdvanceBy(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(["a", "b", "c"], await c.ListAsync(Ks.Keys()));
        cluster.Clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["b"], await c.ListAsync(Ks.Keys()));
        Assert.Null(cluster.Server.Peek(nodes - 1, B("c")));

        // The expiry of a key that did not exist fired and is gone: a key created later stays.
        await c.WriteAsync(Ks.Set("later", "stays"));
        await c.WriteAsync(Ks.SetExpiry("b", 1));
        await c.WriteAsync(Ks.ClearExpiries());
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(["b", "later"], await c.ListAsync(Ks.Keys()));
    }

    [Fact]
    public async Task ReservedKeys_WritesAreRejectedInReplicatedMode_ExceptExactlyTheMarkers()
    {
        await using var cluster = await StartAsync(3);
        var c = await cluster.ConnectMasterAsync();
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("@@", "marker"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("x", "1"))).Type);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Rename("x", "@@x"))).Type);

        await c.SendAsync(Ks.Set("!!k:x", "v"));
        Assert.Equal(KeyspaceReplyType.Failed, (await c.NextReplyAsync()).Type);
        Assert.True(await c.ClosedAsync());

        // Lists, counts and prune skip reserved keys.
        var d = await cluster.ConnectMasterAsync();
        Assert.Empty(await d.ListAsync(Ks.Keys()));
        Assert.Equal("0", S((await d.CallAsync(Ks.Count())).Value));
        await d.WriteAsync(Ks.Prune(""));
        Assert.Equal("marker", S(cluster.Server.Peek(0, B("@@"))));
    }

    [Fact]
    public async Task ReservedKeys_SingleModeAcceptsWritesToThem()
    {
        await using var cluster = await StartAsync(1);
        var c = await cluster.ConnectAsync();

        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("@@mine", "v"))).Type);
        Assert.Equal("v", S((await c.CallAsync(Ks.Get("@@mine"))).Value));
        Assert.Empty(await c.ListAsync(Ks.Keys()));
    }

    private static Task<KeyspaceTestCluster> StartAsync(int nodes = 1) => KeyspaceTestCluster.StartAsync(nodes);
}
