using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;
using ReactiveKv.KyotoTycoon;

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
}
