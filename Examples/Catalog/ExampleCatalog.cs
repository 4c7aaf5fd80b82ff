using System.Diagnostics;
using ReactiveKv.Examples.Amqp;
using ReactiveKv.Examples.Chat;
using ReactiveKv.Examples.Echo;
using ReactiveKv.Examples.Handlers;
using ReactiveKv.Examples.Hosting;
using ReactiveKv.Examples.Keyspace;
using ReactiveKv.Examples.KyotoTycoon;
using ReactiveKv.Examples.Pegasus;
using ReactiveKv.Examples.Reconnecting;
using ReactiveKv.Examples.Redis;
using ReactiveKv.Examples.Tls;

namespace ReactiveKv.Examples.Catalog;

/// <summary>Every example, and the runner behind <c>all</c>.</summary>
public static class ExampleCatalog
{
    /// <summary>How long one example may take in <c>all</c> before it counts as failed.</summary>
    public static readonly TimeSpan GuardTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The examples, in the order <c>list</c> and <c>all</c> show them.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new EchoServerExample(),
        new EchoClientExample(),
        new HandlerRegistryExample(),
        new ChatExample(),
        new ReconnectingClientExample(),
        new TlsEchoExample(),
        new HostedEchoExample(),
        new HostedKtClientExample(),
        new ReactiveKv.Examples.DotNetty.DotNettyGatewayExample(),
        new RedisConnectionExample(),
        new RedisStringsExample(),
        new RedisHashesExample(),
        new RedisListsExample(),
        new RedisSetsExample(),
        new RedisSortedSetsExample(),
        new RedisPipelineExample(),
        new RedisPubSubExample(),
        new JustRedisExample(),
        new RedisRxPubSubExample(),
        new PegasusBasicExample(),
        new PegasusRxScanExample(),
        new KtMemcachePackerExample(),
        new KtMemcacheGzipExample(),
        new KtReplicationExample(),
        new KeyspaceTourExample(),
        new KeyspaceRxListExample(),
        new KeyspaceFailoverExample(),
        new RabbitMqHelloExample(),
        new RabbitMqWorkQueuesExample(),
        new RabbitMqPubSubExample(),
        new RabbitMqRoutingExample(),
        new RabbitMqTopicsExample(),
        new RabbitMqRpcExample(),
        new RabbitMqConfirmsExample(),
    ];

    /// <summary>The example called <paramref name="name"/>, if any.</summary>
    public static IExample? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Runs every example that needs no outside server, plus the Redis examples when a redis-server answers at
    /// <paramref name="redisServer"/> (<c>host:port</c> or a URL; null for <c>REDIS_URL</c> or the default) and the
    /// RabbitMQ examples when a broker answers at <paramref name="amqpServer"/> (an <c>amqp://</c> URL; null for
    /// <c>AMQP_URL</c> or the default), each under <see cref="GuardTimeout"/>, and writes one <c>ok</c> or
    /// <c>FAILED</c> line per example (with the example's own output after a failure). Without a server the Redis
    /// (or RabbitMQ) examples are skipped with one line, not failed. Returns 0 when all that ran passed, 1 otherwise.
    /// </summary>
    public static async Task<int> RunAllAsync(TextWriter output, string? redisServer = null, CancellationToken cancellationToken = default) =>
        await RunAllAsync(output, redisServer, null, cancellationToken);

    /// <inheritdoc cref="RunAllAsync(TextWriter, string?, CancellationToken)"/>
    public static async Task<int> RunAllAsync(TextWriter output, string? redisServer, string? amqpServer, CancellationToken cancellationToken = default)
    {
        await using var servers = new ThrowawayServers();
        var redisUrl = await servers.RedisAsync(RedisExample.UrlFor(new ExampleArgs { Server = redisServer }), Named(redisServer, "REDIS_URL"), output);
        var amqpUrl = await servers.AmqpAsync(AmqpExample.UrlFor(new ExampleArgs { Amqp = amqpServer }), Named(amqpServer, "AMQP_URL"), output);
        var examples = await SelectAsync(output, redisUrl, amqpUrl);
        var args = new ExampleArgs { SelfTest = true, Server = redisUrl, Amqp = amqpUrl };
        var failed = 0;
        foreach (var example in examples)
        {
            var transcript = new StringWriter();
            var clock = Stopwatch.StartNew();
            var error = await RunGuardedAsync(example, args, TextWriter.Synchronized(transcript), cancellationToken);
            if (error is null)
            {
                output.WriteLine($"ok      {example.Name} ({clock.Elapsed.TotalSeconds:0.00} s)");
                continue;
            }

            failed++;
            output.WriteLine($"FAILED  {example.Name}: {error}");
            foreach (var line in transcript.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine($"        | {line.TrimEnd('\r')}");
            }
        }

        output.WriteLine($"{examples.Count - failed} of {examples.Count} examples ok");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The examples <c>all</c> runs: the self-contained ones, the Redis ones if <paramref name="redisUrl"/> answers,
    /// and the RabbitMQ ones if <paramref name="amqpUrl"/> does.
    /// </summary>
    private static async Task<List<IExample>> SelectAsync(TextWriter output, string redisUrl, string amqpUrl)
    {
        var examples = All.Where(e => !e.NeedsExternalServer).ToList();
        if (await RedisExample.ProbeAsync(redisUrl) is { } problem)
        {
            output.WriteLine($"skipped redis examples: {problem}");
        }
        else
        {
            examples.AddRange(All.OfType<RedisExample>());
        }

        if (await AmqpExample.ProbeAsync(amqpUrl) is { } amqpProblem)
        {
            output.WriteLine($"skipped rabbitmq examples: {amqpProblem}");
        }
        else
        {
            examples.AddRange(All.OfType<AmqpExample>());
        }

        return examples;
    }

    private static bool Named(string? option, string variable) => option is not null || Environment.GetEnvironmentVariable(variable) is { Length: > 0 };

    /// <summary>Runs one example self-tested under the guard timeout; returns null on success, else why it failed.</summary>
    private static async Task<string?> RunGuardedAsync(IExample example, ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(GuardTimeout);
        try
        {
            // The example should stop when the guard fires; the extra grace catches one that ignores its token.
            var exitCode = await example.RunAsync(args, output, guard.Token)
                .WaitAsync(GuardTimeout + TimeSpan.FromSeconds(5), cancellationToken);
            return exitCode == 0 ? null : $"exit code {exitCode}";
        }
        catch (Exception e) when (guard.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"did not finish within {GuardTimeout.TotalSeconds:0} s ({e.GetType().Name})";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
