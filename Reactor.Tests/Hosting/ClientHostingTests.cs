using System.Diagnostics;
using System.Reactive.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReactiveKv.Amqp;
using ReactiveKv.Hosting;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Hosting;

/// <summary>
/// The backends' <c>AddXClient</c> registrations: options from configuration and code, checked at start; named
/// clients; health checks following the client's state; a host that stops quickly with a client of every backend.
/// Servers run on a reactor of their own, so the host's stopping its reactor stops only the clients.
/// </summary>
public sealed class ClientHostingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Options_ComeFromTheSectionsUrl_ThenItsKeys_ThenCode_WithoutChangingSharedDefaults()
    {
        var configuration = Configuration(new()
        {
            ["Kt:Url"] = "kt://10.1.2.3:1999/main.kch",
            ["Kt:OperationTimeout"] = "00:00:02",
            ["Kt:Reconnect:MaxDelay"] = "00:00:01",
            ["Kt:DisconnectedBehavior"] = "Queue",
            ["Pegasus:MetaServers:0"] = "10.0.0.1:34601",
            ["Pegasus:MetaServers:1"] = "10.0.0.2:34601",
        });
        var services = new ServiceCollection();
        services.AddKtClient(configuration.GetSection("Kt"), o => o with { MaxInFlight = 7 });
        services.AddPegasusClient(configuration.GetSection("Pegasus"));
        using var provider = services.BuildServiceProvider();

        var kt = provider.GetRequiredService<IOptionsMonitor<ClientSettings<KtOptions>>>().Get(Options.DefaultName).Options;
        var pegasus = provider.GetRequiredService<IOptionsMonitor<ClientSettings<PegasusOptions>>>().Get(Options.DefaultName).Options;

        Assert.Equal(("10.1.2.3", 1999, "main.kch"), (kt.Host, kt.Port, kt.Database));
        Assert.Equal(TimeSpan.FromSeconds(2), kt.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), kt.Reconnect.MaxDelay);
        Assert.Equal(ReconnectPolicy.Default.InitialDelay, kt.Reconnect.InitialDelay);
        Assert.Equal(DisconnectedBehavior.Queue, kt.DisconnectedBehavior);
        Assert.Equal(7, kt.MaxInFlight);

        // A list from configuration replaces the default one rather than adding to it; shared defaults stay as they were.
        Assert.Equal(["10.0.0.1:34601", "10.0.0.2:34601"], pegasus.MetaServers);
        Assert.Equal(TimeSpan.FromSeconds(5), ReconnectPolicy.Default.MaxDelay);
        Assert.Equal(["127.0.0.1:34601"], new PegasusOptions().MetaServers);
    }

    [Fact]
    public async Task BadOptions_FailTheHostsStart_WithMessagesNamingBackendClientAndSetting_AndNoSecret()
    {
        const string secret = "s3cr3t-pa55";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kt:Port"] = "0",
            ["Typo:Colour"] = "blue",
            ["Cache:OperationTimeout"] = "-00:00:01",
            ["Redis:Url"] = $"redis://alice:{secret}@127.0.0.1:notaport",
            ["Amqp:Port"] = "many",
        });
        builder.Services.AddReactor(o => o with { LoopCount = 1 });
        builder.Services.AddKtClient(builder.Configuration.GetSection("Kt"));
        builder.Services.AddKtClient("typo", builder.Configuration.GetSection("Typo"));
        builder.Services.AddKtClient("cache", builder.Configuration.GetSection("Cache"));
        builder.Services.AddRedisClient(builder.Configuration.GetSection("Redis"));
        builder.Services.AddAmqpClient(builder.Configuration.GetSection("Amqp"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().Within());

        var text = error.ToString();
        Assert.Contains("Kyoto Tycoon client (the default one): Port 0 is not a TCP port", text, StringComparison.Ordinal);
        Assert.Contains("Kyoto Tycoon client 'typo': Typo:Colour: KtOptions has no setting 'Colour'", text, StringComparison.Ordinal);
        Assert.Contains("Kyoto Tycoon client 'cache': OperationTimeout must be positive", text, StringComparison.Ordinal);
        Assert.Contains("Redis client (the default one): Redis:Url: ", text, StringComparison.Ordinal);
        Assert.Contains("alice:***@", text, StringComparison.Ordinal);
        Assert.Contains("AMQP client (the default one): ", text, StringComparison.Ordinal);
        Assert.Contains("Amqp:Port", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedClients_AreKeyedSingletons_WithOptionsOfTheirOwn()
    {
        var services = new ServiceCollection();
        services.AddReactor(o => o with { LoopCount = 1 });
        services.AddKtClient("a", o => o with { Port = 1001 });
        services.AddKtClient("b", o => o with { Port = 1002 });
        await using var provider = services.BuildServiceProvider();

        var a = provider.GetRequiredKeyedService<KtClient>("a");
        var b = provider.GetRequiredKeyedService<KtClient>("b");

        Assert.NotSame(a, b);
        Assert.Same(a, provider.GetRequiredKeyedService<KtClient>("a"));
        Assert.Equal((1001, 1002), (a.Options.Port, b.Options.Port));
        Assert.Null(provider.GetService<KtClient>());
        Assert.Equal(2, provider.GetRequiredService<HostedClients>().Count);
    }

    [Fact]
    public void AClientWithoutAReactor_SaysToAddOne()
    {
        var services = new ServiceCollection();
        services.AddKtClient("kt://127.0.0.1:1/");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<KtClient>());

        Assert.Contains("services.AddReactor()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHost_WithAClientOfEveryBackend_IsHealthy_AndStopsWithinAboutASecond()
    {
        await using var servers = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        await using var kt = await KtServer.StartAsync(servers.Reactor);
        await using var pegasus = await PegasusServer.StartAsync(servers.Reactor);
        await using var keyspace = await KeyspaceServer.StartAsync(servers.Reactor);
        await using var broker = new FakeAmqpBroker(servers.Reactor);
        await using var redis = RedisServerProcess.IsInstalled ? await RedisServerProcess.StartAsync() : null;

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReactor(o => o with { LoopCount = 2 });
        builder.Services.AddKtClient($"kt://127.0.0.1:{kt.Address.Port}/");
        builder.Services.AddPegasusClient($"pegasus://{pegasus.MetaList}/temp");
        builder.Services.AddKeyspaceClient($"keyspace://{keyspace.NodeList}");
        builder.Services.AddAmqpClient(_ => broker.Options());
        var checks = builder.Services.AddHealthChecks().AddKtClientCheck().AddPegasusClientCheck().AddKeyspaceClientCheck().AddAmqpClientCheck();
        if (redis is not null)
        {
            builder.Services.AddRedisClient(redis.Url);
            checks.AddRedisClientCheck();
        }

        using var host = builder.Build();
        await host.StartAsync().Within();
        var clients = new List<IConnectableClient>
        {
            host.Services.GetRequiredService<KtClient>(),
            host.Services.GetRequiredService<PegasusClient>(),
            host.Services.GetRequiredService<KeyspaceClient>(),
            host.Services.GetRequiredService<AmqpConnection>(),
        };
        if (redis is not null)
        {
            clients.Add(host.Services.GetRequiredService<RedisClient>());
        }

        foreach (var client in clients)
        {
            await client.ConnectAsync().Within();
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().Within();
        Assert.True(report.Status == HealthStatus.Healthy, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description}")));
        Assert.Equal(redis is null ? 4 : 5, report.Entries.Count);

        var watch = Stopwatch.StartNew();
        await host.StopAsync().Within();
        watch.Stop();
        output.WriteLine($"the host stopped in {watch.Elapsed.TotalMilliseconds:0} ms");

        // A guard, not a benchmark: the clients close on a running reactor, then the reactor stops.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the host took {watch.Elapsed} to stop");
        Assert.All(clients, c => Assert.Equal(ClientConnectionState.Closed, c.ConnectionState));
        Assert.Equal(0, host.Services.GetRequiredService<HostedClients>().Count);
    }

    [Fact]
    public async Task HealthCheck_OfALazyClient_IsHealthyWhileItsServerIsUp_AndUnhealthyOnceItIsGone()
    {
        await using var servers = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        var server = await KtServer.StartAsync(servers.Reactor);
        var logs = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddReactor(o => o with { LoopCount = 1 });
        builder.Services.AddKtClient("main", o => KtOptions.Parse($"kt://127.0.0.1:{server.Address.Port}/"));
        builder.Services.AddHealthChecks().AddKtClientCheck("main");
        using var host = builder.Build();
        await host.StartAsync().Within();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var client = host.Services.GetRequiredKeyedService<KtClient>("main");
        var lost = client.ConnectionEvents.FirstAsync(e => e.Kind == ClientConnectionEventKind.Disconnected).ToTask();

        // Lazy: nothing connected until the check probes.
        Assert.Equal(ClientConnectionState.Idle, client.ConnectionState);
        var up = await health.CheckHealthAsync().Within();
        Assert.Equal(HealthStatus.Healthy, up.Entries["kt:main"].Status);
        Assert.Equal(ClientConnectionState.Connected, client.ConnectionState);

        // The server goes away: its reactor stops, closing the connection.
        await servers.Reactor.StopAsync().Within();
        var loss = await lost.Within();
        var down = await health.CheckHealthAsync().Within();

        Assert.Equal(HealthStatus.Unhealthy, down.Entries["kt:main"].Status);
        Assert.Contains($"127.0.0.1:{server.Address.Port}", down.Entries["kt:main"].Description, StringComparison.Ordinal);
        Assert.NotNull(loss.Reason);
        Assert.Equal("Kyoto Tycoon", loss.Backend);
        var ids = logs.Entries.Where(e => e.Category == "ReactiveKv.Clients.KyotoTycoon").Select(e => e.EventId.Id).ToList();
        Assert.Contains(ClientEventIds.Connected, ids);
        Assert.Contains(ClientEventIds.Disconnected, ids);
        Assert.Contains(ClientEventIds.ConnectFailed, ids);
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task HealthCheck_OfAnEagerClient_IsDegradedWhileItReconnects()
    {
        await using var servers = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        var broker = new FakeAmqpBroker(servers.Reactor);
        var logs = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddReactor(o => o with { LoopCount = 1 });
        builder.Services.AddAmqpClient(_ => broker.Options());
        builder.Services.AddHealthChecks().AddAmqpClientCheck();
        using var host = builder.Build();
        await host.StartAsync().Within();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var connection = host.Services.GetRequiredService<AmqpConnection>();
        var events = new List<ClientConnectionEvent>();
        // One subscription records and signals, so what the test reads is never behind what it awaited.
        var retrying = new TaskCompletionSource<ClientConnectionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var recording = connection.ConnectionEvents.Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            if (e.Kind == ClientConnectionEventKind.ReconnectScheduled)
            {
                retrying.TrySetResult(e);
            }
        });
        await connection.ConnectAsync().Within();
        var session = await broker.NextOpenedAsync();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync().Within()).Entries["amqp"].Status);

        // The broker goes away: it stops listening and closes the connection it had.
        await broker.DisposeAsync();
        await session.CloseConnection(320, "CONNECTION_FORCED - broker shutdown");
        var scheduled = await retrying.Task.Within();
        var report = await health.CheckHealthAsync().Within();

        Assert.Equal(HealthStatus.Degraded, report.Entries["amqp"].Status);
        Assert.Equal(ClientConnectionState.Reconnecting.ToString(), report.Entries["amqp"].Data["state"]);
        Assert.True(scheduled.Attempt >= 1);
        Assert.NotNull(scheduled.Delay);
        lock (events)
        {
            // The eager client may have connected before the recording began (the events are hot, not replayed).
            var sinceConnected = events.SkipWhile(e => e.Kind == ClientConnectionEventKind.Connected).ToList();
            Assert.Equal([ClientConnectionEventKind.Disconnected, ClientConnectionEventKind.ReconnectScheduled], sinceConnected.Select(e => e.Kind).Take(2));
            Assert.Contains("CONNECTION_FORCED", sinceConnected[0].Reason!.Message, StringComparison.Ordinal);
        }

        var disconnected = Assert.Single(logs.Entries, e => e.EventId.Id == ClientEventIds.Disconnected);
        Assert.Equal(LogLevel.Warning, disconnected.Level);
        Assert.Equal("ReactiveKv.Clients.AMQP", disconnected.Category);
        Assert.Contains(logs.Entries, e => e.EventId.Id == ClientEventIds.ReconnectScheduled && e.Level == LogLevel.Debug);

        var stopping = connection.ConnectionEvents.LastOrDefaultAsync().ToTask();
        await host.StopAsync().Within();
        await stopping.Within();
        Assert.Equal(ClientConnectionState.Closed, connection.ConnectionState);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
