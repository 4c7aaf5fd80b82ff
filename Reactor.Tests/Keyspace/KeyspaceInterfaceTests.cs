using System.Reactive;
using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Keyspace;

/// <summary><see cref="IKeyspaceClient"/>: code written against it runs on a fake and on the real client; cancellation tokens.</summary>
public sealed class KeyspaceInterfaceTests
{
    [Fact]
    public async Task CodeWrittenAgainstTheInterface_RunsOnAFake_AndPassesTheTokenOn()
    {
        using var cts = new CancellationTokenSource();
        var (keyspace, fake) = ProxyFake<IKeyspaceClient>.Create((method, args) => method.Name switch
        {
            nameof(IKeyspaceClient.Add) => Deferred.Succeed(7L),
            nameof(IKeyspaceClient.Set) => Deferred.Succeed(Unit.Default),
            _ => throw new NotSupportedException(method.Name),
        });

        Assert.Equal(7, await RegisterAsync(keyspace, "ann", cts.Token));

        Assert.Equal([nameof(IKeyspaceClient.Add), nameof(IKeyspaceClient.Set)], fake.Calls.Select(c => c.Method));
        Assert.Equal(["user:7", "ann"], fake.Calls[1].Args[..2]);
        Assert.All(fake.Calls, c => Assert.Equal(cts.Token, c.Args[^1]));
    }

    [Fact]
    public async Task TheRealClient_ThroughTheInterface_AgainstTheEmbeddedCluster()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(1);
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, cluster.Server.Url).Within();
        IKeyspaceClient keyspace = client;
        await keyspace.Set("seq", "0").ToTask().Within();

        Assert.Equal(1, await RegisterAsync(keyspace, "ann"));
        Assert.Equal(2, await RegisterAsync(keyspace, "bob"));
        Assert.Equal("bob", await keyspace.GetString("user:2").ToTask().Within());
        Assert.Equal(3, await keyspace.Count().ToTask().Within());
    }

    [Fact]
    public async Task APreCancelledToken_FailsTheCall_SendsNothing_AndTheClientKeepsWorking()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(1);
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, cluster.Server.Url).Within();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Set("unsent", "x", cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetString("unsent", cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Get(B("k"), ValuePackers.Utf8, cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ((IKeyspaceClient)client).Count(cancellationToken: cts.Token).ToTask().Within());

        Assert.Null(await client.Get("unsent").ToTask().Within());
        Assert.Null(cluster.Server.Peek(0, B("unsent")));
    }

    [Fact]
    public async Task CancellingACallWhoseReplyIsDelayed_FailsOnlyIt_AndTheCallsBehindItGetTheirOwnAnswers()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(1);
        await using var proxy = await FaultProxy.StartAsync(cluster.Reactor, "127.0.0.1", cluster.Server.Address.Port);
        await using var client = await KeyspaceClient.ConnectAsync(cluster.Reactor, $"keyspace://127.0.0.1:{proxy.Port}").Within();
        await client.Set("a", "1").ToTask().Within();
        await client.Set("b", "2").ToTask().Within();
        using var cts = new CancellationTokenSource();

        proxy.SetLatency(ProxyDirection.Downstream, TimeSpan.FromSeconds(1));
        var cancelled = client.GetString("a", cts.Token).ToTask();
        var behind = client.GetString("b").ToTask();
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Within());
        Assert.False(behind.IsCompleted);
        Assert.Equal("2", await behind.Within());

        proxy.Heal();
        await client.Set("n", "40").ToTask().Within();
        Assert.Equal(42, await client.Add("n", 2).ToTask().Within());
        Assert.Equal("1", await client.GetString("a").ToTask().Within());
    }

    // Application code that knows only the interface.
    private static async Task<long> RegisterAsync(IKeyspaceClient keyspace, string user, CancellationToken cancellationToken = default)
    {
        var id = await keyspace.Add("seq", 1, cancellationToken);
        await keyspace.Set($"user:{id}", user, cancellationToken);
        return id;
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
