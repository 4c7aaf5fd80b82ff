using System.Net;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>serve kt [--port 1978] [--db '*' --db '%'] [--memcached-port 11211 [--memcached-opts fqr]]</c>: the embedded Kyoto
/// Tycoon server (HTTP RPC, REST, binary, replication) and optionally its memcached plugin.
/// </summary>
public sealed class KtServeBackend : IServeBackend
{
    /// <summary>Kyoto Tycoon's default port.</summary>
    public const int DefaultPort = 1978;

    /// <inheritdoc />
    public string Name => "kt";

    /// <inheritdoc />
    public string Description => $"an in-memory Kyoto Tycoon server: HTTP RPC, REST, binary protocol, replication (default port {DefaultPort}, --db * and % databases)";

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Reactor reactor, ServeOptions options, CancellationToken cancellationToken) =>
        new Running(await KtServer.StartAsync(reactor, new KtServerOptions
        {
            Port = options.Port ?? DefaultPort,
            Databases = options.Databases ?? (options.MemcachedOpts?.Contains('q') == true ? ["%"] : ["*"]),
            MemcachedPort = options.MemcachedPort,
            MemcachedFlags = options.MemcachedOpts?.Contains('f') ?? true,
            MemcachedQueue = options.MemcachedOpts?.Contains('q') ?? false,
            MemcachedReadOnly = options.MemcachedOpts?.Contains('r') ?? false,
        }, cancellationToken));

    private sealed class Running(KtServer server) : IRunningServer
    {
        public IPEndPoint Address => server.Address;

        public string? Details => server.MemcachedAddress is { } memcached ? $"memcached plugin on {memcached}" : null;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
