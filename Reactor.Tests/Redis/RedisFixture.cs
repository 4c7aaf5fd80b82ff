using ReactiveKv.Redis.Testing;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

/// <summary>One redis-server and one reactor shared by the tests of the "redis" collection.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServerProcess Server { get; private set; } = null!;

    public Reactor Reactor { get; } = new(new ReactorOptions { LoopCount = 2 });

    public RedisClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Reactor.Start();
        Server = await RedisServerProcess.StartAsync();
        Client = await RedisClient.ConnectAsync(Reactor, Server.Url);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Reactor.DisposeAsync();
    }

    /// <summary>A key unique to the calling test, so tests never see each other's data.</summary>
    public static string Key(string name, [System.Runtime.CompilerServices.CallerMemberName] string test = "") => $"{test}:{name}";
}
