using ReactiveKv.Redis.Testing;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// Every backend client over both transports (the loop's epoll transport and the pipe transport), through the same
/// API shape: Create is lazy, ConnectAsync is eager, DisposeAsync completes even after the reactor stopped.
/// </summary>
public class BackendSmokeTests
{
    public static TheoryData<bool> Transports => new() { true, false };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Redis_ConnectsWritesAndReads(bool epoll)
    {
        await using var server = await RedisServerProcess.StartAsync();
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, NativePolling = epoll }, "epoll");
        await using var redis = await RedisClient.ConnectAsync(fixture.Reactor, server.Url);

        Assert.Equal(epoll, redis.Loop.UsesNativePolling);
        Assert.True(await redis.Db.Set("smoke", "v"));
        Assert.Equal("v", await redis.Db.Get("smoke").ToTask().Within());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Pegasus_ConnectsWritesAndReads(bool epoll)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, NativePolling = epoll }, "epoll");
        await using var server = await PegasusServer.StartAsync(fixture.Reactor);
        await using var pegasus = await PegasusClient.ConnectAsync(fixture.Reactor, $"pegasus://{server.MetaList}/temp");
        var table = await pegasus.OpenTable().ToTask().Within();

        await table.Set(B("h"), B("s"), B("v")).ToTask().Within();
        Assert.Equal("v", Encoding.UTF8.GetString((await table.Get(B("h"), B("s")).ToTask().Within())!));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task KyotoTycoon_ConnectsWritesAndReads(bool epoll)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, NativePolling = epoll }, "epoll");
        await using var server = await KtServer.StartAsync(fixture.Reactor);
        await using var kt = await KtClient.ConnectAsync(fixture.Reactor, $"kt://127.0.0.1:{server.Address.Port}/");

        await kt.Set(B("k"), B("v")).ToTask().Within();
        Assert.Equal("v", Encoding.UTF8.GetString((await kt.Get(B("k")).ToTask().Within())!.Value));
    }

    [Fact]
    public async Task ConnectAsync_ToNothing_FailsWithATypedError_ForEveryBackend()
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        var port = ReactorFixture.FreePort();

        var redis = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(fixture.Reactor, $"redis://127.0.0.1:{port}").Within());
        var pegasus = await Assert.ThrowsAsync<ClientConnectionException>(() => PegasusClient.ConnectAsync(fixture.Reactor, $"pegasus://127.0.0.1:{port}/t").Within());
        var kt = await Assert.ThrowsAsync<ClientConnectionException>(() => KtClient.ConnectAsync(fixture.Reactor, $"kt://127.0.0.1:{port}/").Within());

        Assert.All(new ClientConnectionException[] { redis, pegasus, kt }, e =>
        {
            Assert.False(e.MayHaveExecuted);
            Assert.IsAssignableFrom<ConnectException>(e.InnerException);
            Assert.Contains($"127.0.0.1:{port}", e.Message);
        });
    }

    [Fact]
    public async Task EveryClient_DisposesAfterItsReactorStopped()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        var server = await KtServer.StartAsync(reactor);
        var kt = await KtClient.ConnectAsync(reactor, $"kt://127.0.0.1:{server.Address.Port}/");
        var pegasus = PegasusClient.Create(reactor, $"pegasus://127.0.0.1:{ReactorFixture.FreePort()}/t");
        var redis = RedisClient.Create(reactor, $"redis://127.0.0.1:{ReactorFixture.FreePort()}");
        await reactor.StopAsync().Within();

        await kt.DisposeAsync().AsTask().Within();
        await pegasus.DisposeAsync().AsTask().Within();
        await redis.DisposeAsync().AsTask().Within();
        await server.DisposeAsync().AsTask().Within();
        await reactor.DisposeAsync();
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
