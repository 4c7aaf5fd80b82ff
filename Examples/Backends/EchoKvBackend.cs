using System.Reactive.Linq;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Backends;

/// <summary><c>kv tcp://host:port send &lt;text...&gt;</c>: sends one line to an echo server and returns the echoed line.</summary>
public sealed class EchoKvBackend : IKvBackend
{
    /// <inheritdoc />
    public string Scheme => "tcp";

    /// <inheritdoc />
    public string Description => "an echo server; verbs: send <text...>";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        if (!string.Equals(verb, "send", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"unknown verb '{verb}' for {Scheme}:// (verbs: send)");
        }

        if (args.Count == 0)
        {
            throw new UsageException("send needs the text to send");
        }

        var (host, port) = ServiceUrl.Parse(url, "TCP", 0, "tcp").Host;
        var connecting = ClientEndpoint.Tcp(reactor, host, port, options.Timeout)
            .Connect(new Factory(() => new LineClient()));
        try
        {
            // One deadline on the reactor clock covers connecting, sending and the reply.
            return await connecting
                .SelectMany(protocol => Exchange((LineClient)protocol, string.Join(' ', args)))
                .AddTimeout(options.Timeout, reactor.Clock)
                .ResultAsync(cancellationToken);
        }
        finally
        {
            connecting.Cancel();
        }
    }

    private static IObservable<string> Exchange(LineClient client, string text)
    {
        client.Send(text);
        return client.ReadLine()
            .Catch((ConnectionDoneException e) => Observable.Throw<string>(
                new ConnectionLostException("The server closed the connection without replying.", true, e)))
            .Finally(client.Close);
    }
}
