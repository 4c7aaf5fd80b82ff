using ReactiveKv.Examples.Catalog;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.KyotoTycoon;

/// <summary>Base of the Kyoto Tycoon examples: the embedded server (with its memcached plugin port) unless <c>--kt host:port</c> names a real ktserver.</summary>
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
        await using var server = args.Kt is null ? KtServer.Start(reactor, new KtServerOptions { MemcachedPort = 0, Databases = ["*", "%"] }) : null;
        var endpoint = server?.Address ?? System.Net.IPEndPoint.Parse(args.Kt!);
        output.WriteLine(server is null ? $"ktserver at {endpoint}" : $"embedded Kyoto Tycoon server at {endpoint}, memcached plugin at {server.MemcachedAddress}");
        await using var client = KtClient.Create(reactor, new KtOptions { Host = endpoint.Address.ToString(), Port = endpoint.Port });
        await RunAsync(client, server?.MemcachedAddress ?? new System.Net.IPEndPoint(endpoint.Address, 11211), output, cancellationToken);
        return 0;
    }

    /// <summary>The example's own steps.</summary>
    protected abstract Task RunAsync(KtClient client, System.Net.IPEndPoint memcached, TextWriter output, CancellationToken cancellationToken);
}
