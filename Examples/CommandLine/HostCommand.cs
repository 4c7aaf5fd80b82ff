using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReactiveKv.Examples.Support;
using ReactiveKv.Hosting;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.CommandLine;

/// <summary>
/// <c>host</c>: a generic host with the reactor (the one <c>--reactor</c> picks) and a Kyoto Tycoon client registered,
/// serving until Ctrl+C or SIGTERM, then stopping its clients and reactor; says how long the stop took. The shape of a
/// service that embeds the library, and what the shutdown tests signal.
/// </summary>
internal static class HostCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("host", "Run a generic host with a reactor and a Kyoto Tycoon client until Ctrl+C or SIGTERM");
        command.SetAction((_, cancellationToken) => CliErrors.GuardAsync("host", context.Stderr, () => RunAsync(context, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        // The server stands in for a remote one, on a reactor of its own: the host's stop must not wait on it.
        await using var serverReactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        serverReactor.Start();
        await using var server = await KtServer.StartAsync(serverReactor, cancellationToken: cancellationToken);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kt:Url"] = $"kt://127.0.0.1:{server.Address.Port}/" });
        builder.Services.AddReactor();
        builder.Services.AddKtClient(builder.Configuration.GetSection("Kt"));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);

        var kt = host.Services.GetRequiredService<KtClient>();
        await kt.Set(Encoding.UTF8.GetBytes("started"), Encoding.UTF8.GetBytes("yes")).ResultAsync(cancellationToken);
        var reactor = host.Services.GetRequiredService<Reactor>();
        context.Stdout.WriteLine($"host started on the {reactor.Options.Backend?.Name ?? "epoll"} reactor; KT client {kt.ConnectionState}");
        context.Stdout.Flush();

        await cancellationToken.WhenCancelled();
        var watch = Stopwatch.StartNew();
        await host.StopAsync(CancellationToken.None);
        context.Stdout.WriteLine($"host stopped in {watch.ElapsedMilliseconds} ms; KT client {kt.ConnectionState}");
        return kt.ConnectionState == ClientConnectionState.Closed ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
