using System.Diagnostics;
using System.Globalization;
using System.Reactive;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary><see cref="IPegasusClient"/> and <see cref="IPegasusTable"/>: code written against them runs on fakes and on the real client; cancellation tokens.</summary>
public sealed class PegasusInterfaceTests : IAsyncLifetime
{
    private Reactor _reactor = null!;
    private PegasusServer _server = null!;
    private PegasusClient _client = null!;
    private PegasusTable _table = null!;

    public async Task InitializeAsync()
    {
        _reactor = new Reactor(new ReactorOptions { LoopCount = 2 });
        _reactor.Start();
        _server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, Replicas = 3 });
        _client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = _server.MetaList.Split(','), Table = "temp", OperationTimeout = TimeSpan.FromSeconds(10) });
        _table = await _client.OpenTable().ToTask().Within();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task CodeWrittenAgainstTheInterfaces_RunsOnFakes_AndPassesTheTokenOn()
    {
        using var cts = new CancellationTokenSource();
        var (table, tableFake) = ProxyFake<IPegasusTable>.Create((method, args) => method.Name switch
        {
            nameof(IPegasusTable.Incr) => Deferred.Succeed(12L),
            nameof(IPegasusTable.Set) => Deferred.Succeed(Unit.Default),
            _ => throw new NotSupportedException(method.Name),
        });
        var (pegasus, clientFake) = ProxyFake<IPegasusClient>.Create((method, args) => method.Name switch
        {
            nameof(IPegasusClient.OpenTable) => Deferred.Succeed(table),
            _ => throw new NotSupportedException(method.Name),
        });

        Assert.Equal(12, await RecordScoreAsync(pegasus, "ann", 5, cts.Token));

        Assert.Equal("temp", Assert.Single(clientFake.Calls).Args[0]);
        Assert.Equal([nameof(IPegasusTable.Incr), nameof(IPegasusTable.Set)], tableFake.Calls.Select(c => c.Method));
        Assert.All(clientFake.Calls.Concat(tableFake.Calls), c => Assert.Equal(cts.Token, c.Args[^1]));
    }

    [Fact]
    public async Task TheRealClient_ThroughTheInterfaces_AgainstTheEmbeddedServer()
    {
        IPegasusClient pegasus = _client;

        Assert.Equal(5, await RecordScoreAsync(pegasus, "ann", 5));
        Assert.Equal(12, await RecordScoreAsync(pegasus, "ann", 7));
        Assert.Equal("7", S(await _table.Get(B("ann"), B("last")).ToTask().Within()));
        var opened = await pegasus.OpenTable("temp").ToTask().Within();
        Assert.IsType<PegasusTable>(opened);
        Assert.Equal(4, opened.PartitionCount);
    }

    [Fact]
    public async Task APreCancelledToken_FailsTheCall_SendsNothing_AndTheClientKeepsWorking()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var puts = _server.RequestCount(RpcNames.Put);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _table.Set(B("unsent"), B("s"), B("v"), cancellationToken: cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _table.BatchSet([new PegasusRecord(B("unsent"), B("t"), B("v"))], cancellationToken: cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ((IPegasusClient)_client).OpenTable("temp", cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _table.Exist(B("unsent"), B("s"), cts.Token).ToTask().Within());

        Assert.Equal(puts, _server.RequestCount(RpcNames.Put));
        Assert.Null(await _table.Get(B("unsent"), B("s")).ToTask().Within());
    }

    [Fact]
    public async Task CancellingACallWhoseReplyNeverComes_FailsOnlyIt_AtOnce_AndLaterCallsGetTheirOwnAnswers()
    {
        await _table.Set(B("k"), B("s"), B("v")).ToTask().Within();
        using var cts = new CancellationTokenSource();
        var gets = _server.RequestCount(RpcNames.Get);
        _server.DropNext(RpcNames.Get);

        var clock = Stopwatch.StartNew();
        var dropped = _table.Get(B("k"), B("s"), cts.Token).ToTask();
        Guard.Until(() => _server.RequestCount(RpcNames.Get) > gets, "the get reached the server");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped.Within());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {clock.Elapsed}, not at once (the operation timeout is 10 s)");
        Assert.Equal("v", S(await _table.Get(B("k"), B("s")).ToTask().Within()));
        await _table.Set(B("k2"), B("s"), B("w")).ToTask().Within();
        Assert.Equal("w", S(await _table.Get(B("k2"), B("s")).ToTask().Within()));
    }

    // Application code that knows only the interfaces.
    private static async Task<long> RecordScoreAsync(IPegasusClient pegasus, string player, long points, CancellationToken cancellationToken = default)
    {
        var table = await pegasus.OpenTable("temp", cancellationToken);
        var total = await table.Incr(B(player), B("total"), points, cancellationToken: cancellationToken);
        await table.Set(B(player), B("last"), B(points.ToString(CultureInfo.InvariantCulture)), cancellationToken: cancellationToken);
        return total;
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string? S(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
