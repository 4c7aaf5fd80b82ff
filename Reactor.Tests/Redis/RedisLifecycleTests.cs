using ReactiveKv.Redis.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReactiveKv.Hosting;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>Lifecycle as an application meets it: a client in a host's container, a reactor stopped first, one never started.</summary>
public class RedisLifecycleTests
{
    [Fact]
    public async Task AHostWithAReactorAndAClientInItsContainer_StopsAndDisposes_WhateverTheOrder()
    {
        await using var server = await RedisServerProcess.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReactor(o => o with { LoopCount = 1 });
        builder.Services.AddSingleton(sp => RedisClient.Create(sp.GetRequiredService<Reactor>(), server.Url));
        var host = builder.Build();
        await host.StartAsync().Within();
        var redis = host.Services.GetRequiredService<RedisClient>();
        Assert.Equal("PONG", await redis.Db.Ping().ToTask().Within());
        var subscription = redis.Subscribe("news").Subscribe(_ => { });

        // The hosted reactor stops first; the container then disposes the client after its reactor is gone.
        await host.StopAsync().Within();
        await ((IAsyncDisposable)host).DisposeAsync().AsTask().Within();
        subscription.Dispose();
    }

    [Fact]
    public async Task DisposingAClient_AfterItsReactorStopped_FailsWhatWaited_AndCompletes()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        var client = RedisClient.Create(reactor, $"redis://127.0.0.1:{ReactorFixture.FreePort()}");
        var waiting = client.Db.Get("k");
        await reactor.StopAsync().Within();

        // The stop itself fails what waits (nothing could answer it any more); disposal afterwards still completes.
        var error = await Assert.ThrowsAsync<ReactorNotRunningException>(() => waiting.ToTask().Within());
        Assert.Contains("reactor stopped", error.Message);
        await client.DisposeAsync().AsTask().Within();
        await reactor.DisposeAsync();
    }

    [Fact]
    public async Task ConnectingOnAReactorThatNeverStarted_FailsAtOnce_SayingToStartIt()
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });

        var error = await Assert.ThrowsAsync<ReactorNotRunningException>(() => RedisClient.ConnectAsync(reactor, "redis://127.0.0.1:6379").Within());
        Assert.Contains("reactor.Start()", error.Message);
    }
}
