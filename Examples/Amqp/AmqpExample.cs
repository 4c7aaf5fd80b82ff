using System.Security.Cryptography;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// Base of the RabbitMQ tutorial examples: connects to <c>--server amqp://…</c> (or <c>--amqp</c>; else the
/// <c>AMQP_URL</c> environment variable, else amqp://guest:guest@127.0.0.1:5672/), runs the example with queue and
/// exchange names made unique to the run (the tutorial's name and a random suffix), and deletes them afterwards, so
/// runs on one broker never meet.
/// </summary>
public abstract class AmqpExample : IExample
{
    /// <summary>Where the examples look for a broker when nothing else is said.</summary>
    public const string DefaultUrl = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>How long <c>all</c> waits for a broker before it skips the RabbitMQ examples.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool NeedsExternalServer => true;

    /// <summary>The broker URL for <paramref name="args"/>.</summary>
    public static string UrlFor(ExampleArgs args) => args switch
    {
        { Amqp: { } amqp } => amqp,
        { Server: { } server } => server.Contains("://", StringComparison.Ordinal) ? server : $"amqp://{server}/",
        { Port: { } port } => $"amqp://{args.Host}:{port}/",
        _ => Environment.GetEnvironmentVariable("AMQP_URL") is { Length: > 0 } env ? env : DefaultUrl,
    };

    /// <summary>
    /// Null when a RabbitMQ broker answers at <paramref name="url"/> within a short connect timeout; otherwise why the
    /// RabbitMQ examples cannot run there, in one line (never with the password).
    /// </summary>
    public static async Task<string?> ProbeAsync(string url)
    {
        AmqpOptions options;
        try
        {
            options = AmqpOptions.Parse(url);
        }
        catch (FormatException e)
        {
            return $"cannot use the AMQP URL: {e.Message}";
        }

        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        try
        {
            await using var connection = await AmqpConnection.ConnectAsync(reactor, options with { ConnectTimeout = ProbeTimeout });
            return null;
        }
        catch (AmqpConnectionException e) when (e.InnerException is AmqpBrokerClosedException)
        {
            // A broker that rejects our credentials or vhost is no reason for 'all' to fail.
            return $"cannot use the broker: {e.Message}";
        }
        catch (ReactorException)
        {
            return $"no RabbitMQ broker at {options.Describe()} (start one with: rabbitmq-server, or set AMQP_URL)";
        }
    }

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ParseOptions(UrlFor(args));
        output = TextWriter.Synchronized(output);
        await using var reactor = new Reactor();
        reactor.Start();
        await using var connection = await AmqpConnection.ConnectAsync(reactor, options with { ConnectionName = $"reactivekv example {Name}" }, cancellationToken);
        var names = new Names(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            await RunAsync(connection, names, output, cancellationToken);
        }
        finally
        {
            await CleanUpAsync(connection, names, output);
        }

        return 0;
    }

    /// <summary>
    /// The example itself; throws <see cref="ExampleFailedException"/> (through <see cref="Check"/>) when its results
    /// are wrong. <paramref name="names"/> makes the tutorial's queue and exchange names unique to this run.
    /// </summary>
    protected abstract Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken);

    private static AmqpOptions ParseOptions(string url)
    {
        try
        {
            return AmqpOptions.Parse(url);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Deletes this run's queues and exchanges; a failure here is reported but never hides the example's own error.</summary>
    private static async Task CleanUpAsync(AmqpConnection connection, Names names, TextWriter output)
    {
        var (queues, exchanges) = names.Declared();
        var channel = connection.CreateChannel();
        try
        {
            foreach (var queue in queues)
            {
                await channel.QueueDelete(queue).ToTask().WaitAsync(TimeSpan.FromSeconds(5));
            }

            foreach (var exchange in exchanges)
            {
                await channel.ExchangeDelete(exchange).ToTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is ReactorException or TimeoutException)
        {
            output.WriteLine($"could not delete this run's queues and exchanges: {e.Message}");
        }
        finally
        {
            await channel.DisposeAsync();
        }
    }

    /// <summary>The tutorial's names made unique to one run; each is deleted when the run ends.</summary>
    protected sealed class Names
    {
        private readonly List<string> _queues = [];
        private readonly List<string> _exchanges = [];
        private readonly Lock _gate = new();

        internal Names(string suffix) => Suffix = suffix;

        /// <summary>What this run adds to every name.</summary>
        public string Suffix { get; }

        /// <summary>The queue <paramref name="name"/> of the tutorial, as this run calls it; deleted at the end.</summary>
        public string Queue(string name)
        {
            var unique = $"{name}.{Suffix}";
            lock (_gate)
            {
                _queues.Add(unique);
            }

            return unique;
        }

        /// <summary>The exchange <paramref name="name"/> of the tutorial, as this run calls it; deleted at the end.</summary>
        public string Exchange(string name)
        {
            var unique = $"{name}.{Suffix}";
            lock (_gate)
            {
                _exchanges.Add(unique);
            }

            return unique;
        }

        internal (string[] Queues, string[] Exchanges) Declared()
        {
            lock (_gate)
            {
                return ([.. _queues], [.. _exchanges]);
            }
        }
    }
}
