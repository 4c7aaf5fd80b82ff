using System.Net;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>serve pegasus [--port 34601] [--partitions 8] [--replicas 3] [--legacy-meta]</c>: the embedded Pegasus cluster
/// (one meta, N replicas, table "temp"); <c>--legacy-meta</c> answers meta queries as servers before 2.5 do.
/// </summary>
public sealed class PegasusServeBackend : IServeBackend
{
    /// <summary>The meta port used when none is given (Pegasus's default).</summary>
    public const int DefaultPort = 34601;

    /// <inheritdoc />
    public string Name => "pegasus";

    /// <inheritdoc />
    public string Description => $"an in-memory Pegasus cluster: meta on the port (default {DefaultPort}), replicas on free ports, table 'temp'";

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Reactor reactor, ServeOptions options, CancellationToken cancellationToken)
    {
        var server = await PegasusServer.StartAsync(reactor, new PegasusServerOptions
        {
            MetaPort = options.Port ?? DefaultPort,
            Partitions = options.Partitions ?? 8,
            Replicas = options.Replicas ?? 3,
            HostPortFields = !options.LegacyMeta,
        }, cancellationToken);
        return new Running(server);
    }

    private sealed class Running(PegasusServer server) : IRunningServer
    {
        public IPEndPoint Address => server.MetaEndpoints[0];

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
