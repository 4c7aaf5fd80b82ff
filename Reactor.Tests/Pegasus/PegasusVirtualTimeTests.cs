using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>The embedded server on a reactor whose clock is a <see cref="TestScheduler"/>: TTLs move only when the test moves time.</summary>
public sealed class PegasusVirtualTimeTests : IAsyncLifetime
{
    private readonly TestScheduler _clock = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private Reactor _reactor = null!;
    private PegasusServer _server = null!;
    private PegasusClient _client = null!;

    public async Task InitializeAsync()
    {
        _reactor = new Reactor(new ReactorOptions { LoopCount = 1, Clock = _clock });
        _reactor.Start();

        // No clock in the server's options: it must read the reactor's.
        _server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, Replicas = 1 });
        _client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = _server.MetaList.Split(','), Table = "temp" });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task ARecordWithATtl_ExpiresExactlyWhenTheSchedulerPassesIt()
    {
        var table = await _client.OpenTable().ToTask().Within();
        await table.Set(B("h"), B("s"), B("v"), TimeSpan.FromSeconds(100)).ToTask().Within();

        Assert.Equal(100, await table.Ttl(B("h"), B("s")).ToTask().Within());
        _clock.AdvanceBy(TimeSpan.FromSeconds(99));
        Assert.Equal(1, await table.Ttl(B("h"), B("s")).ToTask().Within());
        Assert.Equal("v", Encoding.UTF8.GetString((await table.Get(B("h"), B("s")).ToTask().Within())!));

        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Null(await table.Get(B("h"), B("s")).ToTask().Within());
        Assert.Null(await table.Ttl(B("h"), B("s")).ToTask().Within());
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
