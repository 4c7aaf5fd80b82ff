using ReactiveKv.Examples.Catalog;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.KyotoTycoon;

/// <summary>Base of the Kyoto Tycoon examples: the embedded server (with its memcached plugin port) unless <c>--server host:port</c>
/// (or <c>--kt</c>, which <c>all</c> passes through while its <c>--server</c> names a redis-server) names a real ktserver.</summary>
public abstract class KtExample : IExample
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        var real = args.Kt ?? (args.SelfTest ? null : args.Server);
        await using var server = real is null ? await KtServer.StartAsync(reactor, new KtServerOptions { MemcachedPort = 0, Databases = ["*", "%"] }) : null;
        var endpoint = server?.Address ?? System.Net.IPEndPoint.Parse(real!);
        output.WriteLine(server is null ? $"ktserver at {endpoint}" : $"embedded Kyoto Tycoon server at {endpoint}, memcached plugin at {server.MemcachedAddress}");
        await using var client = KtClient.Create(reactor, new KtOptions { Host = endpoint.Address.ToString(), Port = endpoint.Port });
        await RunAsync(client, server?.MemcachedAddress ?? new System.Net.IPEndPoint(endpoint.Address, 11211), output, cancellationToken);
        return 0;
    }

    /// <summary>The example's own steps.</summary>
    protected abstract Task RunAsync(KtClient client, System.Net.IPEndPoint memcached, TextWriter output, CancellationToken cancellationToken);
}
