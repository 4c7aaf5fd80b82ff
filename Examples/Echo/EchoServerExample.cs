using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Echo;

/// <summary>Twisted's echoserv.py: listen and echo everything back, until Ctrl+C.</summary>
public sealed class EchoServerExample : IExample
{
    /// <inheritdoc />
    public string Name => "echo-server";

    /// <inheritdoc />
    public string Description => "echoes everything back on port 8000 (or --port) until Ctrl+C";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = await EchoServer.StartAsync(reactor, new EchoServerOptions { Port = args.Port ?? (args.SelfTest ? 0 : 8000) }, cancellationToken);
        output.WriteLine($"listening on {server.Address}");
        if (args.SelfTest)
        {
            // Nobody will press Ctrl+C: exercise the server with the echo client instead.
            await EchoClientExample.TalkAsync("127.0.0.1", server.Port, EchoClientExample.DefaultLines, output, cancellationToken);
            return 0;
        }

        output.WriteLine("press Ctrl+C to stop");
        await cancellationToken.WhenCancelled();
        return 0;
    }
}
