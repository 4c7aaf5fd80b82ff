using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Handlers;

/// <summary>Registers a few command handlers, serves them over a line protocol, and checks a client's conversation.</summary>
public sealed class HandlerRegistryExample : IExample
{
    /// <summary>What the client sends and the reply it must get.</summary>
    private static readonly (string Request, string Reply)[] Conversation =
    [
        ("ECHO hello there", "hello there"),
        ("upper twisted", "TWISTED"),
        ("SUM 1 2 39", "42"),
        ("SUM 1 two", "ERR 'two' is not an integer"),
        ("HELP", "ECHO HELP SUM UPPER"),
        ("DANCE", "ERR unknown command 'DANCE'"),
    ];

    /// <inheritdoc />
    public string Name => "handler-registry";

    /// <inheritdoc />
    public string Description => "a registry of command handlers dispatched by a line protocol";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <summary>The registry the example serves.</summary>
    public static HandlerRegistry CreateRegistry()
    {
        var registry = new HandlerRegistry()
            .Register("ECHO", arguments => arguments)
            .Register("UPPER", arguments => arguments.ToUpperInvariant())
            .Register("SUM", new SumHandler());
        return registry.Register("HELP", _ => string.Join(' ', registry.Commands));
    }

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var registry = CreateRegistry();
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = ListeningServer.ListenTcp(reactor, args.Port ?? 0, new ServerFactory(() => new CommandProtocol(registry)));
        output.WriteLine($"serving {string.Join(", ", registry.Commands)} on {server.Address}");

        var client = (LineClient)await ClientEndpoint.Tcp(reactor, "127.0.0.1", server.Port)
            .Connect(new Factory(() => new LineClient()))
            .ResultAsync(cancellationToken);
        foreach (var (request, expected) in Conversation)
        {
            client.Send(request);
            var reply = await client.ReadLine().ResultAsync(cancellationToken);
            output.WriteLine($"{request} -> {reply}");
            Check.Equal(expected, reply, $"reply to '{request}'");
        }

        client.Close();
        await client.Lost.WaitAsync(cancellationToken);
        return 0;
    }
}
