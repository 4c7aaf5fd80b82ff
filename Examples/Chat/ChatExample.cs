using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Chat;

/// <summary>
/// The chat server with three in-process clients: they join (one first tries a taken name), speak in turn, and
/// each must have seen exactly the other two's messages.
/// </summary>
public sealed class ChatExample : IExample
{
    private static readonly string[] Names = ["alice", "bob", "carol"];

    /// <inheritdoc />
    public string Name => "chat";

    /// <inheritdoc />
    public string Description => "a line-based chat server; three clients join, talk, and check what they saw";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var room = new ChatRoom();
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = ListeningServer.ListenTcp(reactor, args.Port ?? 0, new ServerFactory(() => new ChatProtocol(room)));
        output.WriteLine($"chat server on {server.Address}");

        var clients = new Dictionary<string, LineClient>();
        foreach (var name in Names)
        {
            // The last to join first asks for a name already in use.
            var takenName = name == Names[^1] ? Names[0] : null;
            clients[name] = await JoinAsync(reactor, server.Port, name, takenName, output, cancellationToken);
        }

        // One speaker at a time, each line awaited by everybody else, so every transcript has a known order.
        foreach (var speaker in Names)
        {
            var message = args.Message ?? $"hello from {speaker}";
            clients[speaker].Send(message);
            foreach (var listener in Names.Where(n => n != speaker))
            {
                var heard = await clients[listener].ReadLine().ResultAsync(cancellationToken);
                output.WriteLine($"{listener} heard: {heard}");
                Check.Equal($"<{speaker}> {message}", heard, $"what {listener} heard");
            }
        }

        foreach (var client in clients.Values)
        {
            client.Close();
        }

        await Task.WhenAll(clients.Values.Select(c => c.Lost)).WaitAsync(cancellationToken);
        foreach (var name in Names)
        {
            Check.Sequence(ExpectedTranscript(name, args.Message), clients[name].Transcript, $"{name}'s transcript");
        }

        output.WriteLine("every client saw exactly the other clients' messages");
        return 0;
    }

    /// <summary>Connects and picks <paramref name="name"/>, first trying <paramref name="takenName"/> when given.</summary>
    private static async Task<LineClient> JoinAsync(Reactor reactor, int port, string name, string? takenName, TextWriter output, CancellationToken cancellationToken)
    {
        var client = (LineClient)await ClientEndpoint.Tcp(reactor, "127.0.0.1", port)
            .Connect(new Factory(() => new LineClient()))
            .ResultAsync(cancellationToken);
        Check.Equal("What's your name?", await client.ReadLine().ResultAsync(cancellationToken), "greeting");
        if (takenName is not null)
        {
            client.Send(takenName);
            Check.Equal("Name taken, please choose another.", await client.ReadLine().ResultAsync(cancellationToken), "reply to a taken name");
        }

        client.Send(name);
        var welcome = await client.ReadLine().ResultAsync(cancellationToken);
        output.WriteLine($"{name}: {welcome}");
        Check.Equal($"Welcome, {name}!", welcome, "welcome");
        return client;
    }

    private static IEnumerable<string> ExpectedTranscript(string name, string? message)
    {
        yield return "What's your name?";
        if (name == Names[^1])
        {
            yield return "Name taken, please choose another.";
        }

        yield return $"Welcome, {name}!";
        foreach (var speaker in Names.Where(n => n != name))
        {
            yield return $"<{speaker}> {message ?? $"hello from {speaker}"}";
        }
    }
}
