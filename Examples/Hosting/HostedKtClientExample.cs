using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Support;
using ReactiveKv.Hosting;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.Hosting;

/// <summary>
/// A client in a generic host: <c>AddReactor</c>, <c>AddKtClient</c> with its options from configuration, a health
/// check, the client's connection events; against an embedded Kyoto Tycoon server on a reactor of its own.
/// </summary>
public sealed class HostedKtClientExample : IExample
{
    /// <inheritdoc />
    public string Name => "hosted-kt-client";

    /// <inheritdoc />
    public string Description => "a Kyoto Tycoon client registered with AddKtClient in a generic host, with a health check";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        // The server lives on a reactor of its own: stopping the host stops only the client's.
        await using var serverReactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        serverReactor.Start();
        await using var server = await KtServer.StartAsync(serverReactor, cancellationToken: cancellationToken);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // What appsettings.json would hold: "Kt": { "Url": "kt://…", "OperationTimeout": "00:00:02" }.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kt:Url"] = $"kt://127.0.0.1:{server.Address.Port}/",
            ["Kt:OperationTimeout"] = "00:00:02",
        });
        builder.Services.AddReactor(o => o with { LoopCount = 1 });
        builder.Services.AddKtClient(builder.Configuration.GetSection("Kt"));
        builder.Services.AddHealthChecks().AddKtClientCheck();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);

        var kt = host.Services.GetRequiredService<KtClient>();
        var events = new ConcurrentQueue<ClientConnectionEvent>();
        using var recording = kt.ConnectionEvents.Subscribe(events.Enqueue);
        output.WriteLine($"host started; KT client for {kt.Options.Host}:{kt.Options.Port}, operation timeout {kt.Options.OperationTimeout.TotalSeconds} s (from configuration)");

        await kt.Set(Encoding.UTF8.GetBytes("greeting"), Encoding.UTF8.GetBytes(args.Message ?? "hello from the host")).ResultAsync(cancellationToken);
        var value = await kt.Get(Encoding.UTF8.GetBytes("greeting")).ResultAsync(cancellationToken);
        var text = Encoding.UTF8.GetString(value!.Value);
        output.WriteLine($"get greeting -> '{text}'");
        Check.Equal(args.Message ?? "hello from the host", text, "the value read back");

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellationToken);
        foreach (var (name, entry) in report.Entries)
        {
            output.WriteLine($"health {name}: {entry.Status} ({entry.Description})");
        }

        Check.Equal(HealthStatus.Healthy, report.Status, "the health report");

        var watch = Stopwatch.StartNew();
        await host.StopAsync(cancellationToken);
        output.WriteLine($"host stopped in {watch.ElapsedMilliseconds} ms; client {kt.ConnectionState}");
        foreach (var e in events)
        {
            output.WriteLine($"event {e.Kind} {e.Server}");
        }

        Check.Equal(ClientConnectionState.Closed, kt.ConnectionState, "the client after the host stopped");
        Check.That(events.Any(e => e.Kind == ClientConnectionEventKind.Connected), "a Connected event was published");
        return 0;
    }
}
