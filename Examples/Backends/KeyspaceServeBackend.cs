using System.Net;
using ReactiveKv.Keyspace;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>serve keyspace [--port 7080] [--nodes 3] [--quirks-1.9.0]</c>: the embedded Keyspace cluster, node 0's client
/// port on the given port, every other port free; one line per node with its client and HTTP ports.
/// </summary>
public sealed class KeyspaceServeBackend : IServeBackend
{
    /// <summary>Keyspace's default client port.</summary>
    public const int DefaultPort = 7080;

    /// <inheritdoc />
    public string Name => "keyspace";

    /// <inheritdoc />
    public string Description => $"an in-memory Keyspace cluster: client protocol and HTTP API per node, master lease, rounds on submit (default port {DefaultPort}, --nodes 3 for replicated mode)";

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Reactor reactor, ServeOptions options, CancellationToken cancellationToken) =>
        new Running(await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions
        {
            Port = options.Port ?? DefaultPort,
            Nodes = options.Nodes ?? 1,
            Quirks190 = options.Quirks190,
        }, cancellationToken));

    private sealed class Running(KeyspaceServer server) : IRunningServer
    {
        public IPEndPoint Address => server.Address;

        // One line per node, in node-id order: the order a client lists them in (keyspace://…).
        public string? Details => string.Join(Environment.NewLine, server.ClientEndpoints.Select((client, node) =>
            $"node {node}: client {client}, http {server.HttpEndpoints[node]?.ToString() ?? "off"}").Append($"url {server.Url}"));

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
