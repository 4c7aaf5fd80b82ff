using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Amqp.Testing;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Testing;

namespace ReactiveKv.Benchmarks.Suites.Soak;

/// <summary>
/// One backend behind fault proxies (one per address the client talks to), and what one operation of its mixed load
/// is. Everything the soak does not degrade (a server's own side channels, the AMQP RPC responder) talks to the server
/// directly, so each fault hits exactly the client under test.
/// </summary>
internal sealed class SoakTarget : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private SoakTarget(IReadOnlyList<FaultProxy> proxies, Func<Random, int, Task> operation, Func<ValueTask> dispose)
    {
        Proxies = proxies;
        Operation = operation;
        _dispose = dispose;
    }

    /// <summary>The backends, in the order a soak without <c>--only</c> runs them.</summary>
    public static IReadOnlyList<string> Backends { get; } = ["redis", "kt", "keyspace", "pegasus", "amqp"];

    public IReadOnlyList<FaultProxy> Proxies { get; }

    public long ConnectionsAccepted => Proxies.Sum(p => p.ConnectionsAccepted);

    /// <summary>Starts one operation of the mixed load; the task settles with its result or its error.</summary>
    public Func<Random, int, Task> Operation { get; }

    /// <summary>A short note on the load mix, printed before the run.</summary>
    public string Mix { get; private init; } = "";

    public void Each(Action<FaultProxy> fault)
    {
        foreach (var proxy in Proxies)
        {
            fault(proxy);
        }
    }

    public static Task<SoakTarget> StartAsync(string backend, Reactor reactor) => backend switch
    {
        "redis" => RedisAsync(reactor),
        "kt" => KtAsync(reactor),
        "keyspace" => KeyspaceAsync(reactor),
        "pegasus" => PegasusAsync(reactor),
        "amqp" => AmqpAsync(reactor),
        _ => throw new ArgumentException($"unknown soak backend '{backend}'", nameof(backend)),
    };

    public ValueTask DisposeAsync() => _dispose();

    private static async Task<SoakTarget> RedisAsync(Reactor reactor)
    {
        var server = await RedisServerProcess.StartAsync();
        var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.Port);
        var client = await RedisClient.ConnectAsync(reactor, $"redis://{proxy.HostAndPort}?timeout=2");
        long received = 0;
        var subscription = client.Subscribe("soak:news").Subscribe(_ => Interlocked.Increment(ref received));
        return new SoakTarget([proxy], (random, worker) => random.Next(100) switch
        {
            < 60 => client.Db.Get(Key(random)).ToTask(),
            < 90 => client.Db.Set(Key(random), Value(random)).ToTask(),
            < 95 => client.Publish("soak:news", "n").ToTask(),
            _ => client.Db.Scan("soak:1*", pageSize: 100).Take(200).Count().ToTask(),
        }, async () =>
        {
            subscription.Dispose();
            await client.DisposeAsync();
            await proxy.DisposeAsync();
            await server.DisposeAsync();
        })
        { Mix = "60% GET, 30% SET, 5% PUBLISH to a subscribed channel, 5% SCAN" };
    }

    private static async Task<SoakTarget> KtAsync(Reactor reactor)
    {
        var server = await KtServer.StartAsync(reactor);
        var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.Address.Port);
        var client = await KtClient.ConnectAsync(reactor, KtOptions.Parse($"kt://{proxy.HostAndPort}") with { OperationTimeout = TimeSpan.FromSeconds(2) });
        return new SoakTarget([proxy], (random, worker) => random.Next(100) < 65
            ? client.Get(Encoding.ASCII.GetBytes(Key(random))).ToTask()
            : client.Set(Encoding.ASCII.GetBytes(Key(random)), Encoding.ASCII.GetBytes(Value(random))).ToTask(), async () =>
        {
            await client.DisposeAsync();
            await proxy.DisposeAsync();
            await server.DisposeAsync();
        })
        { Mix = "65% get, 35% set" };
    }

    private static async Task<SoakTarget> KeyspaceAsync(Reactor reactor)
    {
        var server = await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions { Nodes = 1 });
        var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.Address.Port);
        var client = await KeyspaceClient.ConnectAsync(reactor, KeyspaceOptions.Parse($"keyspace://{proxy.HostAndPort}") with { OperationTimeout = TimeSpan.FromSeconds(5) });
        return new SoakTarget([proxy], (random, worker) => random.Next(100) < 65
            ? client.Get(Key(random)).ToTask()
            : client.Set(Encoding.ASCII.GetBytes(Key(random)), Encoding.ASCII.GetBytes(Value(random))).ToTask(), async () =>
        {
            await client.DisposeAsync();
            await proxy.DisposeAsync();
            await server.DisposeAsync();
        })
        { Mix = "65% GET, 35% SET" };
    }

    private static async Task<SoakTarget> PegasusAsync(Reactor reactor)
    {
        // Clients learn replica addresses only from the metas: the server announces a proxy in front of each replica,
        // and the metas stay direct (routing is not what the soak degrades).
        var server = await PegasusServer.StartAsync(reactor, new PegasusServerOptions { Partitions = 8, Replicas = 3 });
        var proxies = new List<FaultProxy>();
        for (var i = 0; i < server.ReplicaEndpoints.Count; i++)
        {
            var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", server.ReplicaEndpoints[i].Port);
            server.AnnounceReplica(i, proxy.Endpoint);
            proxies.Add(proxy);
        }

        var client = PegasusClient.Create(reactor, new PegasusOptions { MetaServers = server.MetaList.Split(','), Table = "temp", OperationTimeout = TimeSpan.FromSeconds(2) });
        var table = await client.OpenTable().ToTask();

        // 100 hash keys of 100 sort keys each: 10,000 records at most, as for the other backends.
        static byte[] Hash(Random random) => Encoding.ASCII.GetBytes("soak:h" + random.Next(100).ToString(CultureInfo.InvariantCulture));
        static byte[] Sort(Random random) => Encoding.ASCII.GetBytes("s" + random.Next(100).ToString("00", CultureInfo.InvariantCulture));
        return new SoakTarget(proxies, (random, worker) => random.Next(100) switch
        {
            < 55 => table.Get(Hash(random), Sort(random)).ToTask(),
            < 85 => table.Set(Hash(random), Sort(random), Encoding.ASCII.GetBytes(Value(random))).ToTask(),
            < 95 => table.MultiGet(Hash(random), "s10"u8.ToArray(), "s30"u8.ToArray(), maxCount: 20).ToTask(),
            _ => table.GetScanner(Hash(random), [], [], new ScanOptions { BatchSize = 20 }).Take(50).Count().ToTask(),
        }, async () =>
        {
            await client.DisposeAsync();
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }

            await server.DisposeAsync();
        })
        { Mix = "55% get, 30% set, 10% multi_get of a sort-key range, 5% scanner over one hash key" };
    }

    private static async Task<SoakTarget> AmqpAsync(Reactor reactor)
    {
        // A throwaway broker as the amqp benchmark starts one; the soak's queues are capped (drop-head) so the
        // broker's memory stays bounded whatever the consumer keeps up with.
        var broker = await RabbitMqBroker.StartAsync();
        var direct = AmqpOptions.Parse(broker.Url);
        var proxy = await FaultProxy.StartAsync(reactor, "127.0.0.1", direct.Port);
        var capped = new FieldTable { ["x-max-length"] = 10_000 };

        // The RPC responder and the queues' declarations go direct: only the client under test is degraded.
        var serverConnection = await AmqpConnection.ConnectAsync(reactor, direct);
        var serverChannel = serverConnection.CreateChannel();
        await serverChannel.QueueDeclare("soak:work", arguments: capped).ToTask();
        await serverChannel.QueueDeclare("soak:polled", arguments: capped).ToTask();
        await serverChannel.QueueDeclare("soak:rpc", arguments: capped).ToTask();
        var serving = serverChannel.Consume("soak:rpc").Subscribe(request =>
        {
            serverChannel.Publish("", request.Properties.ReplyTo!, request.Body, new BasicProperties { CorrelationId = request.Properties.CorrelationId });
            request.Ack();
        });

        var connection = await AmqpConnection.ConnectAsync(reactor, direct with
        {
            Port = proxy.Port,
            OperationTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) },
        });
        var publisher = connection.CreateChannel(confirms: true);
        var consuming = connection.CreateChannel();
        await consuming.Qos(200).ToTask();

        // The consumer acks each delivery (an ack on a channel lost to a fault fails typed; the broker redelivers).
        long consumed = 0;
        var consumer = consuming.Consume("soak:work").Subscribe(delivery =>
        {
            Interlocked.Increment(ref consumed);
            delivery.Ack().Subscribe(_ => { }, _ => { });
        });
        var rpc = await AmqpRpcClient.CreateAsync(connection);
        var body = new byte[64];
        return new SoakTarget([proxy], (random, worker) => random.Next(100) switch
        {
            < 50 => publisher.Publish("", "soak:work", body).ToTask(),
            < 70 => publisher.Publish("", "soak:polled", body).ToTask(),
            < 85 => publisher.Get("soak:polled", autoAck: true).ToTask(),
            _ => rpc.Call("", "soak:rpc", body).ToTask(),
        }, async () =>
        {
            consumer.Dispose();
            await rpc.DisposeAsync();
            await connection.DisposeAsync();
            serving.Dispose();
            await serverConnection.DisposeAsync();
            await proxy.DisposeAsync();
            await broker.DisposeAsync();
        })
        { Mix = "50% confirmed publish to an acking consumer, 20% confirmed publish + 15% basic.get of another queue, 15% RPC over direct reply-to" };
    }

    private static string Key(Random random) => "soak:" + random.Next(10_000).ToString(CultureInfo.InvariantCulture);

    private static string Value(Random random) => new('v', random.Next(1, 512));
}
