using ReactiveKv.Examples.Catalog;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Examples.Pegasus;

/// <summary>
/// Base of the Pegasus examples: they run against the embedded Pegasus server (started here, on free ports) unless
/// <c>--meta host:port,…</c> names a real cluster, whose table <c>temp</c> they then use.
/// </summary>
public abstract class PegasusExample : IExample
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <summary>A key prefix unique to this run, so runs against a shared cluster do not see each other's data.</summary>
    protected string Prefix { get; } = $"rkv-{Guid.NewGuid():N}"[..12] + ":";

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = args.Meta is null ? await PegasusServer.StartAsync(reactor, new PegasusServerOptions { Partitions = 8, Replicas = 3 }) : null;
        var metas = args.Meta ?? server!.MetaList;
        output.WriteLine(server is null ? $"Pegasus cluster at {metas}" : $"embedded Pegasus server, meta {metas}");
        await using var client = PegasusClient.Create(reactor, $"pegasus://{metas}/temp");
        var table = await client.OpenTable().WithCancellation(cancellationToken);
        await RunAsync(table, output, cancellationToken);
        return 0;
    }

    /// <summary>The example's own steps.</summary>
    protected abstract Task RunAsync(PegasusTable table, TextWriter output, CancellationToken cancellationToken);
}
