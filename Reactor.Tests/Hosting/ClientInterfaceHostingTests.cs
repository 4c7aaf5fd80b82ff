using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;
using ReactiveKv.Amqp;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Tests.Hosting;

/// <summary>The backends' <c>AddXClient</c> registrations also resolve each client's interface, to the same instance, by the same name.</summary>
public sealed class ClientInterfaceHostingTests
{
    [Fact]
    public async Task Kt_TheInterface_ResolvesToTheSameClient_DefaultAndNamed()
    {
        var services = new ServiceCollection();
        services.AddReactor(o => o with { LoopCount = 1 });
        services.AddKtClient("kt://127.0.0.1:1001/");
        services.AddKtClient("b", o => o with { Port = 1002 });
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<KtClient>(), provider.GetRequiredService<IKtClient>());
        Assert.Same(provider.GetRequiredKeyedService<KtClient>("b"), provider.GetRequiredKeyedService<IKtClient>("b"));
        Assert.Equal(1002, provider.GetRequiredKeyedService<IKtClient>("b").Options.Port);
        Assert.Null(provider.GetKeyedService<IKtClient>("c"));
        Assert.Equal(2, provider.GetRequiredService<HostedClients>().Count);
    }

    [Fact]
    public async Task Keyspace_TheInterface_ResolvesToTheSameClient_DefaultAndNamed()
    {
        var services = new ServiceCollection();
        services.AddReactor(o => o with { LoopCount = 1 });
        services.AddKeyspaceClient("keyspace://127.0.0.1:1001");
        services.AddKeyspaceClient("b", o => KeyspaceOptions.Parse("keyspace://127.0.0.1:1002"));
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<KeyspaceClient>(), provider.GetRequiredService<IKeyspaceClient>());
        Assert.Same(provider.GetRequiredKeyedService<KeyspaceClient>("b"), provider.GetRequiredKeyedService<IKeyspaceClient>("b"));
        Assert.Equal(2, provider.GetRequiredService<HostedClients>().Count);
    }

    [Fact]
    public async Task Pegasus_TheInterface_ResolvesToTheSameClient_DefaultAndNamed()
    {
        var services = new ServiceCollection();
        services.AddReactor(o => o with { LoopCount = 1 });
        services.AddPegasusClient(o => o with { MetaServers = ["127.0.0.1:1001"], Table = "t" });
        services.AddPegasusClient("b", o => o with { MetaServers = ["127.0.0.1:1002"], Table = "t" });
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<PegasusClient>(), provider.GetRequiredService<IPegasusClient>());
        Assert.Same(provider.GetRequiredKeyedService<PegasusClient>("b"), provider.GetRequiredKeyedService<IPegasusClient>("b"));
        Assert.Equal(["127.0.0.1:1002"], provider.GetRequiredKeyedService<IPegasusClient>("b").Options.MetaServers);
        Assert.Equal(2, provider.GetRequiredService<HostedClients>().Count);
    }

    [Fact]
    public async Task Amqp_TheInterface_ResolvesToTheSameConnection_DefaultAndNamed()
    {
        var services = new ServiceCollection();
        services.AddReactor(o => o with { LoopCount = 1 });
        services.AddAmqpClient("amqp://guest:guest@127.0.0.1:1001/");
        services.AddAmqpClient("b", o => AmqpOptions.Parse("amqp://guest:guest@127.0.0.1:1002/"));
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<AmqpConnection>(), provider.GetRequiredService<IAmqpConnection>());
        Assert.Same(provider.GetRequiredKeyedService<AmqpConnection>("b"), provider.GetRequiredKeyedService<IAmqpConnection>("b"));
        Assert.Equal(1002, provider.GetRequiredKeyedService<IAmqpConnection>("b").Options.Port);
        Assert.Equal(2, provider.GetRequiredService<HostedClients>().Count);
    }
}
