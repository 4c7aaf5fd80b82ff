using System.Globalization;
using System.Reflection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ReactiveKv.Benchmarks.Suites.Amqp;

/// <summary>
/// The peer: RabbitMQ.Client (7.x, its async API) under the suite's workloads, written the way its documentation
/// recommends for throughput: <see cref="CachedString"/> exchange and routing key, confirm tracking by the library
/// (each <c>BasicPublishAsync</c> completes on its confirm) with the library's own throttle off so the window is ours,
/// <see cref="AsyncEventingBasicConsumer"/> with acks sent from the handler.
/// </summary>
internal sealed class RabbitMqClientTarget : IAmqpBenchTarget
{
    private const string DirectReplyTo = "amq.rabbitmq.reply-to";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private static readonly CachedString DefaultExchange = new(string.Empty);

    private ConnectionFactory? _factory;
    private IConnection? _connection;
    private IChannel? _publish;
    private IChannel? _confirm;
    private IChannel? _consume;
    private IConnection? _rpcServerConnection;
    private IChannel? _rpcServer;
    private IChannel? _rpcClient;
    private CachedString? _rpcQueue;
    private volatile PendingCall? _pending;

    public string Name => "rabbitmq-client";

    /// <summary>RabbitMQ.Client's package version, from its assembly's informational version without the commit hash.</summary>
    public static string Version
    {
        get
        {
            var assembly = typeof(ConnectionFactory).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString(3) ?? "?";
            return version.Split('+')[0];
        }
    }

    public async Task SetupAsync(string url, CancellationToken cancellationToken)
    {
        _factory = new ConnectionFactory { Uri = new Uri(url), ClientProvidedName = "rkv-bench rabbitmq-client" };
        _connection = await _factory.CreateConnectionAsync(cancellationToken);
        _publish = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);

        // A null limiter turns the library's own throttle (128 outstanding by default) off: the case keeps the window.
        _confirm = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
            cancellationToken);
        _consume = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
    }

    public async Task<long> PublishAsync(CancellationToken stop, string queue, int bodySize)
    {
        var channel = _publish ?? throw new InvalidOperationException("Not set up.");
        var routingKey = new CachedString(queue);
        ReadOnlyMemory<byte> body = new byte[bodySize];
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            await channel.BasicPublishAsync(DefaultExchange, routingKey, body, CancellationToken.None);
            n++;
        }

        return n;
    }

    public async Task<long> PublishConfirmedAsync(CancellationToken stop, string queue, int bodySize, int window)
    {
        var channel = _confirm ?? throw new InvalidOperationException("Not set up.");
        var routingKey = new CachedString(queue);
        ReadOnlyMemory<byte> body = new byte[bodySize];

        // Slot i % window holds publish i until publish i + window needs the slot: then it is awaited (its confirm).
        var inFlight = new ValueTask[window];
        long issued = 0;
        while (!stop.IsCancellationRequested)
        {
            var slot = (int)(issued % window);
            if (issued >= window)
            {
                await inFlight[slot];
            }

            inFlight[slot] = channel.BasicPublishAsync(DefaultExchange, routingKey, body, CancellationToken.None);
            issued++;
        }

        for (var i = Math.Max(0, issued - window); i < issued; i++)
        {
            await inFlight[(int)(i % window)];
        }

        return issued;
    }

    public async Task<long> ConsumeAsync(CancellationToken stop, string queue, long count, bool multipleAcks, ushort prefetch, int ackEvery)
    {
        var channel = _consume ?? throw new InvalidOperationException("Not set up.");
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: prefetch, global: false, CancellationToken.None);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            // Dispatch concurrency is 1 (the default): deliveries come one at a time, in order.
            var seen = ++received;
            if (!multipleAcks)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            }
            else if (seen % ackEvery == 0 || seen == count)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }

            if (seen == count)
            {
                done.TrySetResult();
            }
        };

        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, CancellationToken.None);
        try
        {
            await done.Task.WaitAsync(stop);
        }
        finally
        {
            await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None);
        }

        return received;
    }

    public async Task PrepareRpcAsync(string requestQueue, CancellationToken cancellationToken)
    {
        if (_rpcClient is not null)
        {
            return;
        }

        var factory = _factory ?? throw new InvalidOperationException("Not set up.");
        _rpcServerConnection = await factory.CreateConnectionAsync("rkv-bench rabbitmq-client rpc-server", cancellationToken);
        var server = await _rpcServerConnection.CreateChannelAsync(cancellationToken: cancellationToken);
        _rpcServer = server;
        var answering = new AsyncEventingBasicConsumer(server);
        answering.ReceivedAsync += async (_, request) =>
        {
            var reply = new BasicProperties { CorrelationId = request.BasicProperties.CorrelationId };
            await server.BasicPublishAsync(string.Empty, request.BasicProperties.ReplyTo!, mandatory: false, reply, request.Body);
        };
        await server.BasicConsumeAsync(requestQueue, autoAck: true, answering, cancellationToken);

        // Direct reply-to: the caller consumes the pseudo-queue, no-ack, on the channel it publishes its requests on.
        var client = await _connection!.CreateChannelAsync(cancellationToken: cancellationToken);
        var replies = new AsyncEventingBasicConsumer(client);
        replies.ReceivedAsync += (_, reply) =>
        {
            var pending = _pending;
            if (pending is not null && reply.BasicProperties.CorrelationId == pending.Id)
            {
                pending.Done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await client.BasicConsumeAsync(DirectReplyTo, autoAck: true, replies, cancellationToken);
        _rpcQueue = new CachedString(requestQueue);
        _rpcClient = client;
    }

    public async Task<long> RpcAsync(CancellationToken stop)
    {
        var channel = _rpcClient ?? throw new InvalidOperationException("PrepareRpcAsync first.");
        var request = new BasicProperties { ReplyTo = DirectReplyTo };
        ReadOnlyMemory<byte> body = new byte[16];
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            // What a RabbitMQ.Client user writes (the library has no RPC helper): a completion source per call.
            var call = new PendingCall(n.ToString(CultureInfo.InvariantCulture));
            _pending = call;
            request.CorrelationId = call.Id;
            await channel.BasicPublishAsync(DefaultExchange, _rpcQueue!, mandatory: false, request, body, CancellationToken.None);
            await call.Done.Task.WaitAsync(ReplyTimeout, CancellationToken.None);
            n++;
        }

        _pending = null;
        return n;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in new[] { _publish, _confirm, _consume, _rpcClient, _rpcServer })
        {
            if (channel is not null)
            {
                await AmqpBenchAdmin.QuietlyAsync(() => channel.CloseAsync());
                await channel.DisposeAsync();
            }
        }

        foreach (var connection in new[] { _rpcServerConnection, _connection })
        {
            if (connection is not null)
            {
                await AmqpBenchAdmin.QuietlyAsync(() => connection.CloseAsync());
                await connection.DisposeAsync();
            }
        }
    }

    private sealed record PendingCall(string Id)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
