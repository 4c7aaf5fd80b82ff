using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Echo;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Reconnecting;

/// <summary>
/// A client on a <see cref="ReconnectingClientFactory"/> outlives its server: the server stops (no more listening,
/// connections closed), the client's retries are refused, the server comes back on the same port, and the client
/// reconnects and talks again.
/// </summary>
public sealed class ReconnectingClientExample : IExample
{
    /// <inheritdoc />
    public string Name => "reconnecting-client";

    /// <inheritdoc />
    public string Description => "a reconnecting client survives its echo server stopping and starting again";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        var server = await EchoServer.StartAsync(reactor, new EchoServerOptions { Port = args.Port ?? 0 }, cancellationToken);
        var port = server.Port;
        var factory = new ReconnectingLineFactory(output)
        {
            InitialDelay = TimeSpan.FromSeconds(0.05),
            MaxDelay = TimeSpan.FromSeconds(0.5),
        };

        // The base constructor reads InitialDelay before the initializer sets it; this makes the first retry use it.
        factory.ResetDelay();
        var connector = reactor.ConnectTcp("127.0.0.1", port, factory);
        try
        {
            var first = await factory.NextAsync(ConnectionEventKind.Connected, cancellationToken);
            await PingAsync(first.Client!, "ping 1", output, cancellationToken);

            output.WriteLine("stopping the server");
            await server.StopListeningAsync();
            await server.Connections.CloseAllAsync();
            await factory.NextAsync(ConnectionEventKind.Lost, cancellationToken);
            await factory.NextAsync(ConnectionEventKind.Failed, cancellationToken);

            output.WriteLine($"starting the server again on port {port}");
            server = await EchoServer.StartAsync(reactor, new EchoServerOptions { Port = port }, cancellationToken);
            var second = await factory.NextAsync(ConnectionEventKind.Connected, cancellationToken);
            Check.That(!ReferenceEquals(first.Client, second.Client), "the client reconnected with a new connection");
            await PingAsync(second.Client!, "ping 2", output, cancellationToken);
        }
        finally
        {
            // The factory and connector belong to the connector's loop.
            await connector.Loop.InvokeAsync(() =>
            {
                factory.StopTrying();
                connector.Disconnect();
            });
            await server.DisposeAsync();
        }

        return 0;
    }

    private static async Task PingAsync(LineClient client, string text, TextWriter output, CancellationToken cancellationToken)
    {
        client.Send(text);
        var reply = await client.ReadLine().ResultAsync(cancellationToken);
        output.WriteLine($"sent '{text}', got '{reply}'");
        Check.Equal(text, reply, "echo");
    }
}
