using ReactiveKv.Examples.Echo;

namespace ReactiveKv.Examples.Backends;

/// <summary><c>serve echo</c>: the echo server (default port 8000).</summary>
public sealed class EchoServeBackend : IServeBackend
{
    /// <summary>The port used when none is given.</summary>
    public const int DefaultPort = 8000;

    /// <inheritdoc />
    public string Name => "echo";

    /// <inheritdoc />
    public string Description => $"echoes every byte back (default port {DefaultPort})";

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Reactor reactor, ServeOptions options, CancellationToken cancellationToken) =>
        await EchoServer.StartAsync(reactor, new EchoServerOptions { Port = options.Port ?? DefaultPort }, cancellationToken);
}
