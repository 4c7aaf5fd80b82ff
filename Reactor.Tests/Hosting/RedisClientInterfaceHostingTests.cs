using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Hosting;

/// <summary><c>AddRedisClient</c> registers the client as <see cref="IRedisClient"/> too: the same instance, default and named.</summary>
public sealed class RedisClientInterfaceHostingTests
{
    [Fact]
    public async Task TheInterface_ResolvesToTheSameClient_DefaultAndNamed()
    {
        var services = new ServiceCollection();
        services.AddReactor(o => o with { LoopCount = 1 });
        services.AddRedisClient("redis://127.0.0.1:1001");
        services.AddRedisClient("cache", o => o with { Port = 1002 });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<RedisClient>();
        var named = provider.GetRequiredKeyedService<RedisClient>("cache");

        Assert.Same(client, provider.GetRequiredService<IRedisClient>());
        Assert.Same(named, provider.GetRequiredKeyedService<IRedisClient>("cache"));
        Assert.Same(named, ClientRegistration.Resolve<IRedisClient>(provider, "cache"));
        Assert.NotSame(client, named);
        Assert.Equal((1001, 1002), (client.Options.Port, named.Options.Port));

        // One client each, disposed once with the container.
        Assert.Equal(2, provider.GetRequiredService<HostedClients>().Count);
    }
}
