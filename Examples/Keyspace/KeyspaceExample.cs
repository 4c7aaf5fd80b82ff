using ReactiveKv.Examples.Catalog;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Keyspace;

/// <summary>
/// Base of the Keyspace examples: they run against the embedded Keyspace cluster (started here, on free ports) unless
/// <c>--server host:port,…</c> names the nodes of a real one, in node-id order (<c>all</c> always uses the embedded one).
/// </summary>
public abstract class KeyspaceExample : IExample
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <summary>A key prefix unique to this run, so runs against a shared cluster do not see each other's data.</summary>
    protected string Prefix { get; } = $"rkv-{Guid.NewGuid():N}"[..12] + ":";

    /// <summary>How the embedded cluster is laid out for this example.</summary>
    protected virtual KeyspaceServerOptions ServerOptions => new() { Nodes = 1 };

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        var real = args.SelfTest ? null : args.Server;
        await using var server = real is null ? await KeyspaceServer.StartAsync(reactor, ServerOptions, cancellationToken) : null;
        var url = server?.Url ?? (real!.StartsWith("keyspace://", StringComparison.Ordinal) ? real : "keyspace://" + real);
        output.WriteLine(server is null ? $"Keyspace cluster at {ServiceUrl.Redact(url)}" : $"embedded Keyspace cluster ({server.Options.Nodes} node(s)) at {ServiceUrl.Redact(url)}");
        await using var client = await KeyspaceClient.ConnectAsync(reactor, url, cancellationToken);
        await RunAsync(client, server, output, cancellationToken);
        return 0;
    }

    /// <summary>The example's own steps; <paramref name="server"/> is null against a real cluster.</summary>
    protected abstract Task RunAsync(KeyspaceClient client, KeyspaceServer? server, TextWriter output, CancellationToken cancellationToken);
}
