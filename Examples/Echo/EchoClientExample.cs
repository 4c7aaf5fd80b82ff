using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Echo;

/// <summary>
/// Twisted's echoclient.py: connect, send lines, print the replies, stop the reactor when the connection ends.
/// Without <c>--port</c> it talks to an echo server it starts itself.
/// </summary>
public sealed class EchoClientExample : IExample
{
    /// <summary>What the client sends when no <c>--message</c> is given (before its farewell).</summary>
    public static readonly IReadOnlyList<string> DefaultLines = ["Hello, world!", "What a fine day it is."];

    /// <inheritdoc />
    public string Name => "echo-client";

    /// <inheritdoc />
    public string Description => "sends lines to an echo server (its own unless --port) and checks they come back";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> lines = args.Message is { } message ? [message] : DefaultLines;
        if (args.Port is { } port)
        {
            await TalkAsync(args.Host, port, lines, output, cancellationToken);
            return 0;
        }

        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = await EchoServer.StartAsync(reactor, cancellationToken: cancellationToken);
        await TalkAsync("127.0.0.1", server.Port, lines, output, cancellationToken);
        return 0;
    }

    /// <summary>
    /// Runs the client on a reactor of its own (its factory stops that reactor, as in Twisted) and checks that
    /// every line came back unchanged.
    /// </summary>
    public static async Task TalkAsync(string host, int port, IReadOnlyList<string> lines, TextWriter output, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        var factory = new EchoClientFactory(reactor, lines, output);
        reactor.Start();
        using (cancellationToken.Register(reactor.Stop))
        {
            reactor.ConnectTcp(host, port, factory);
            await reactor.WhenStopped;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (factory.Failure is { } failure)
        {
            throw new ExampleFailedException($"connection failed: {failure.Message}", failure);
        }

        var client = factory.Client ?? throw new ExampleFailedException("no connection was made");
        Check.Sequence(client.Sent, client.Received, "echoed lines");
    }
}
