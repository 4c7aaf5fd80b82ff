using System.Net.Sockets;
using ReactiveKv.Keyspace;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Keyspace.KeyspaceTestCluster;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>The replicated model of §8 and §14 on the virtual clock: leases, elections, the new master's empty round, faults.</summary>
public class KeyspaceClusterTests
{
    private static readonly KeyspaceServerOptions Timing = new()
    {
        LeaseTimeout = TimeSpan.FromSeconds(5.7),
        ElectionDelay = TimeSpan.FromSeconds(7.7),
    };

    [Fact]
    public async Task EveryNodeAppliesEveryRound_AndAnswersGetMasterWithTheMaster()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, new KeyspaceServerOptions { InitialMaster = 2 });
        var c = await cluster.ConnectAsync(2);
        await c.SendAsync(Ks.Set("a", "1"));
        await c.SendAsync(Ks.Set("b", "2"));
        await c.SubmitAsync();
        await c.NextAsync(2);

        for (var node = 0; node < 3; node++)
        {
            Assert.Equal(2, cluster.Server.MasterSeenBy(node));
            Assert.Equal("2", S(cluster.Server.Peek(node, B("b"))));
            Assert.Equal(cluster.Server.AppliedRounds(2), cluster.Server.AppliedRounds(node));
            var d = await cluster.ConnectAsync(node);
            Assert.Equal("2", S((await d.CallAsync(Ks.GetMaster())).Value));
        }
    }

    [Fact]
    public async Task KillingTheMaster_TheOthersNameItUntilItsLeaseEnds_ThenANewMasterAfterTheElectionDelay()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing);
        var writer = await cluster.ConnectAsync(0);
        await writer.WriteAsync(Ks.Set("before", "kept"));
        var watcher = await cluster.ConnectAsync(1);

        Assert.Equal(0, await cluster.Server.KillMasterAsync());
        Assert.True(await writer.ClosedAsync());
        await Assert.ThrowsAnyAsync<SocketException>(() => RawKeyspaceConnection.ConnectAsync(cluster.Server.ClientEndpoints[0]));

        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(5.6));
        Assert.Equal("0", S((await watcher.CallAsync(Ks.GetMaster())).Value));
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(0.1));
        Assert.Equal(KeyspaceReplyType.NotMaster, (await watcher.CallAsync(Ks.GetMaster())).Type);
        Assert.Null(cluster.Server.Master);
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(2));

        Assert.Equal(1, cluster.Server.Master);
        Assert.Equal("1", S((await watcher.CallAsync(Ks.GetMaster())).Value));
        Assert.Equal("kept", S((await watcher.CallAsync(Ks.Get("before"))).Value));
        Assert.Equal(KeyspaceReplyType.Ok, (await watcher.WriteAsync(Ks.Set("after", "new master"))).Type);
        Assert.Equal("new master", S(cluster.Server.Peek(2, B("after"))));
    }

    [Fact]
    public async Task ANewMaster_RejectsSafeReadsAndQueuesWritesUntilItsFirstRoundIsApplied()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing with { NopRoundDelay = TimeSpan.FromMilliseconds(100) });
        await cluster.Server.KillNodeAsync(0);
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(7.7));

        var early = await cluster.ConnectAsync(1);
        Assert.Equal("1", S((await early.CallAsync(Ks.GetMaster())).Value));
        await early.SendAsync(Ks.Set("queued", "v"));
        await early.SubmitAsync();
        await early.SendAsync(Ks.Get("queued", dirty: true));
        Assert.Equal(KeyspaceReplyType.Failed, (await early.NextReplyAsync()).Type);

        var reader = await cluster.ConnectAsync(1);
        Assert.Equal(KeyspaceReplyType.Failed, (await reader.CallAsync(Ks.Get("queued"))).Type);
        Assert.True(await reader.ClosedAsync());

        cluster.Clock.AdvanceBy(TimeSpan.FromMilliseconds(100));
        Assert.Equal(KeyspaceReplyType.Ok, (await early.NextReplyAsync()).Type);
        Assert.Equal("v", S((await early.CallAsync(Ks.Get("queued"))).Value));
    }

    [Fact]
    public async Task ACutOffMaster_AnswersItsQueuedWritesNotMasterWhenItsLeaseEnds_AndCatchesUpWhenHealed()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing);
        var old = await cluster.ConnectAsync(0);
        cluster.Server.IsolateNode(0);

        var write = await old.SendAsync(Ks.Set("lost", "v"));
        await old.SubmitAsync();

        // The read's answer shows the write is queued before the clock moves; the master still names itself.
        Assert.Equal("0", S((await old.CallAsync(Ks.GetMaster())).Value));
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(5.7));
        var reply = await old.NextReplyAsync();
        Assert.Equal((KeyspaceReplyType.NotMaster, write), (reply.Type, reply.Id));
        Assert.Equal(KeyspaceReplyType.NotMaster, (await old.CallAsync(Ks.GetMaster())).Type);

        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(2));
        Assert.Equal(1, cluster.Server.Master);
        var master = await cluster.ConnectAsync(1);
        await master.WriteAsync(Ks.Set("while cut off", "v"));
        Assert.Null(cluster.Server.Peek(0, B("while cut off")));

        cluster.Server.HealNode(0);
        Assert.Equal("v", S((await old.CallAsync(Ks.Get("while cut off", dirty: true))).Value));
        Assert.Equal("1", S((await old.CallAsync(Ks.GetMaster())).Value));
        Assert.Null(cluster.Server.Peek(1, B("lost")));
    }

    [Fact]
    public async Task AMasterLeftWithoutAMajority_LosesItsLease_ThenRejectsWritesButServesDirtyReads()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing);
        var c = await cluster.ConnectAsync(0);
        await c.WriteAsync(Ks.Set("k", "v"));
        await cluster.Server.KillNodeAsync(1);
        await cluster.Server.KillNodeAsync(2);

        Assert.Equal("0", S((await c.CallAsync(Ks.GetMaster())).Value));
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(5.7));
        Assert.Equal(KeyspaceReplyType.NotMaster, (await c.CallAsync(Ks.GetMaster())).Type);
        Assert.Equal("v", S((await c.CallAsync(Ks.Get("k", dirty: true))).Value));
        Assert.Equal(KeyspaceReplyType.Failed, (await c.WriteAsync(Ks.Set("k", "w"))).Type);
        Assert.True(await c.ClosedAsync());

        // No election without a majority; a node back gives one after the delay.
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(30));
        Assert.Null(cluster.Server.Master);
        await cluster.Server.RestartNodeAsync(2);
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(7.7));
        Assert.Equal(0, cluster.Server.Master);
        Assert.Equal("v", S(cluster.Server.Peek(2, B("k"))));
    }

    [Fact]
    public async Task ARestartedNode_CatchesUp_AndNamesNoMasterUntilItHearsTheLease()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing);
        var c = await cluster.ConnectAsync(0);
        await cluster.Server.KillNodeAsync(2);
        await c.WriteAsync(Ks.Set("missed", "v"));

        await cluster.Server.RestartNodeAsync(2);
        var back = await cluster.ConnectAsync(2);

        Assert.Equal("v", S((await back.CallAsync(Ks.Get("missed", dirty: true))).Value));
        Assert.Equal(KeyspaceReplyType.NotMaster, (await back.CallAsync(Ks.GetMaster())).Type);
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(5.7));
        Assert.Equal("0", S((await back.CallAsync(Ks.GetMaster())).Value));
    }

    [Fact]
    public async Task DroppingANodesConnections_ClosesThem_AndTheNodeAcceptsNewOnes()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var a = await cluster.ConnectAsync(1);
        var other = await cluster.ConnectAsync(0);
        Assert.Equal("0", S((await a.CallAsync(Ks.GetMaster())).Value));

        cluster.Server.DropConnections(1);

        Assert.True(await a.ClosedAsync());
        Assert.Equal("0", S((await (await cluster.ConnectAsync(1)).CallAsync(Ks.GetMaster())).Value));
        Assert.Equal("0", S((await other.CallAsync(Ks.GetMaster())).Value));
    }

    [Fact]
    public async Task TheReactorsVirtualClock_DrivesElections_WhenTheOptionsGiveNone()
    {
        var clock = new TestScheduler(Start);
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1, Clock = clock });
        reactor.Start();
        await using var server = await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions { Nodes = 3 });

        await server.KillNodeAsync(0);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));

        // The loop runs what fell due in order; a call queued after it runs after it.
        await reactor.MainLoop.InvokeAsync(() => { }).Within();
        Assert.Equal(1, server.Master);
    }

    [Fact]
    public async Task EveryAcknowledgedWrite_IsOnEveryLiveNodeAfterAFailover()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var c = await cluster.ConnectAsync(0);
        var acknowledged = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            await c.SendAsync(Ks.Set($"k{i}", "v"));
        }

        await c.SubmitAsync();
        for (var i = 0; i < 20; i++)
        {
            if ((await c.NextReplyAsync()).Type == KeyspaceReplyType.Ok)
            {
                acknowledged.Add($"k{i}");
            }
        }

        await c.SendAsync(Ks.Set("unsubmitted", "v"));
        await cluster.Server.KillMasterAsync();
        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal(20, acknowledged.Count);
        Assert.All(acknowledged, k => Assert.Equal("v", S(cluster.Server.Peek(1, B(k)))));
        Assert.All(acknowledged, k => Assert.Equal("v", S(cluster.Server.Peek(2, B(k)))));
        Assert.Null(cluster.Server.Peek(1, B("unsubmitted")));
    }

    [Fact]
    public async Task ACutOffMaster_LosesItsLeaseOnItsOwnClock_EvenWhenTheElectionCameFirst()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, new KeyspaceServerOptions
        {
            LeaseTimeout = TimeSpan.FromSeconds(2),
            ElectionDelay = TimeSpan.FromSeconds(2),
        });
        cluster.Server.IsolateNode(0);

        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(2));

        Assert.Equal(1, cluster.Server.Master);
        Assert.Null(cluster.Server.MasterSeenBy(0));
        Assert.Equal(1, cluster.Server.MasterSeenBy(2));
    }

    [Fact]
    public async Task WithoutAMasterAtStart_EveryNodeSaysNotMaster_UntilTheFirstElection()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing with { MasterAtStart = false });
        var c = await cluster.ConnectAsync(0);

        Assert.Equal(KeyspaceReplyType.NotMaster, (await c.CallAsync(Ks.GetMaster())).Type);
        Assert.Equal(KeyspaceReplyType.Failed, (await c.CallAsync(Ks.Get("k"))).Type);
        Assert.True(await c.ClosedAsync());

        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(7.7));
        Assert.Equal(0, cluster.Server.Master);
        Assert.Equal(KeyspaceReplyType.Ok, (await (await cluster.ConnectAsync(0)).WriteAsync(Ks.Set("k", "v"))).Type);
    }

    [Fact]
    public async Task ANodeCatchingUp_RejectsEverythingButGetMaster_UntilItHasTheData()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3, Timing with { CatchUpDelay = TimeSpan.FromSeconds(1) });
        await cluster.Server.KillNodeAsync(2);
        await (await cluster.ConnectAsync(0)).WriteAsync(Ks.Set("missed", "v"));
        await cluster.Server.RestartNodeAsync(2);

        var early = await cluster.ConnectAsync(2);
        Assert.Equal(KeyspaceReplyType.NotMaster, (await early.CallAsync(Ks.GetMaster())).Type);
        Assert.Equal(KeyspaceReplyType.Failed, (await early.CallAsync(Ks.Get("missed", dirty: true))).Type);
        Assert.True(await early.ClosedAsync());

        cluster.Clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal("v", S((await (await cluster.ConnectAsync(2)).CallAsync(Ks.Get("missed", dirty: true))).Value));
    }
}
