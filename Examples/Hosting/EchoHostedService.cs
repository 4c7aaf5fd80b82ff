using Microsoft.Extensions.Hosting;
using ReactiveKv.Examples.Echo;

namespace ReactiveKv.Examples.Hosting;

/// <summary>
/// Runs an echo server on the host's reactor. Registered after <c>AddReactor</c>, it starts after the reactor and
/// stops before it (hosted services stop in reverse order).
/// </summary>
public sealed class EchoHostedService(Reactor reactor, int port) : IHostedService
{
    private EchoServer? _server;

    /// <summary>The port the server listens on, once started.</summary>
    public int Port => _server?.Port ?? throw new InvalidOperationException("The echo service has not started.");

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _server = await EchoServer.StartAsync(reactor, new EchoServerOptions { Port = port }, cancellationToken);

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.DisposeAsync();
        }
    }
}
