using System.Net.Sockets;
using ReactiveKv.Keyspace;
using static ReactiveKv.Tests.Keyspace.KeyspaceTestCluster;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>The <see cref="KeyspaceServerOptions.Quirks190"/> switch: 1.9.0's bugs of §12 on demand, the intended behaviour by default.</summary>
public class KeyspaceQuirksTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public async Task Expiry_FiresByDefault_AndNeverWithTheQuirks(int nodes, bool quirks)
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(nodes, new KeyspaceServerOptions { Quirks190 = quirks });
        var c = await cluster.ConnectMasterAsync();
        await c.WriteAsync(Ks.Set("k", "v"));

        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.SetExpiry("k", 2))).Type);
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(3));

        Assert.Equal(quirks ? KeyspaceReplyType.Ok : KeyspaceReplyType.Failed, (await c.CallAsync(Ks.Get("k"))).Type);
    }

    [Fact]
    public async Task ReadingAnInternalKey_CrashesTheNodeWithTheQuirks_AndIsAMissWithout()
    {
        await using var plain = await KeyspaceTestCluster.StartAsync(3);
        var p = await plain.ConnectAsync(1);
        Assert.Equal(KeyspaceReplyType.Failed, (await p.CallAsync(Ks.Get("@@paxosID", dirty: true))).Type);

        await using var quirky = await KeyspaceTestCluster.StartAsync(3, new KeyspaceServerOptions { Quirks190 = true });
        var q = await quirky.ConnectAsync(1);
        await q.SendAsync(Ks.Get("@@paxosID", dirty: true));

        Assert.True(await q.ClosedAsync());
        Assert.False(quirky.Server.IsAlive(1));
        Assert.Equal(0, quirky.Server.Master);
    }

    [Fact]
    public async Task TestAndSetMismatch_IsOkWithTheStoredValue_EitherWay()
    {
        foreach (var quirks in new[] { false, true })
        {
            await using var cluster = await KeyspaceTestCluster.StartAsync(1, new KeyspaceServerOptions { Quirks190 = quirks });
            var c = await cluster.ConnectAsync();
            await c.WriteAsync(Ks.Set("k", "now"));

            var reply = await c.WriteAsync(Ks.TestAndSet("k", "other", "new"));

            Assert.Equal((KeyspaceReplyType.Ok, "now"), (reply.Type, S(reply.Value)));
        }
    }

    [Fact]
    public async Task AKilledNode_RefusesConnections_UntilRestartedOnTheSamePort()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(1);
        var endpoint = cluster.Server.ClientEndpoints[0];
        await cluster.Server.KillNodeAsync(0);
        await Assert.ThrowsAnyAsync<SocketException>(() => RawKeyspaceConnection.ConnectAsync(endpoint));

        await cluster.Server.RestartNodeAsync(0);
        var c = await cluster.ConnectAsync();

        Assert.Equal(endpoint, cluster.Server.ClientEndpoints[0]);
        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set("k", "v"))).Type);
    }
}
