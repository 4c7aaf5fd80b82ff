using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Support;
using ReactiveKv.Hosting;

namespace ReactiveKv.Examples.Hosting;

/// <summary>The reactor inside a generic host: <c>AddReactor</c> plus a hosted echo service; the host starts, serves, stops.</summary>
public sealed class HostedEchoExample : IExample
{
    /// <inheritdoc />
    public string Name => "hosted-echo";

    /// <inheritdoc />
    public string Description => "an echo server as a hosted service on a reactor in a generic host";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        // No defaults: the example owns the host's lifetime, so it wants no config file watchers or console logging.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddReactor();
        builder.Services.AddSingleton(sp => new EchoHostedService(sp.GetRequiredService<Reactor>(), args.Port ?? 0));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EchoHostedService>());
        using var host = builder.Build();

        await host.StartAsync(cancellationToken);
        var reactor = host.Services.GetRequiredService<Reactor>();
        var service = host.Services.GetRequiredService<EchoHostedService>();
        output.WriteLine($"host started; echo service on 127.0.0.1:{service.Port}");

        var client = (LineClient)await ClientEndpoint.Tcp(reactor, "127.0.0.1", service.Port)
            .Connect(new Factory(() => new LineClient()))
            .ResultAsync(cancellationToken);
        var message = args.Message ?? "hello from the host";
        client.Send(message);
        var reply = await client.ReadLine().ResultAsync(cancellationToken);
        output.WriteLine($"sent '{message}', got '{reply}'");
        Check.Equal(message, reply, "echo through the hosted service");

        client.Close();
        await client.Lost.WaitAsync(cancellationToken);

        await host.StopAsync(cancellationToken);
        output.WriteLine("host stopped");
        Check.That(!reactor.IsRunning, "the host stopped the reactor");
        return 0;
    }
}
