using System.Collections.Concurrent;

namespace ReactiveKv.Amqp;

/// <summary>
/// Request/reply over RabbitMQ's direct reply-to (the RPC tutorial): requests go out with
/// <c>reply_to = amq.rabbitmq.reply-to</c> and a fresh correlation id, and each call's Deferred settles with the reply
/// carrying its id, or fails with <see cref="AmqpTimeoutException"/> when none comes within the deadline. One channel,
/// one consumer, any number of calls in flight from any thread.
/// </summary>
public sealed class AmqpRpcClient : IAsyncDisposable
{
    /// <summary>The pseudo-queue of direct reply-to.</summary>
    public const string DirectReplyTo = "amq.rabbitmq.reply-to";

    private readonly AmqpChannel _channel;
    private readonly ConcurrentDictionary<string, Deferred<AmqpDelivery>> _calls = new();
    private readonly IDisposable _replies;
    private long _nextId;

    private AmqpRpcClient(AmqpChannel channel, AmqpConsumer consumer, IDisposable replies)
    {
        _channel = channel;
        Consumer = consumer;
        _replies = replies;
    }

    /// <summary>The consumer of direct replies.</summary>
    public AmqpConsumer Consumer { get; }

    /// <summary>Calls waiting for replies.</summary>
    public int Pending => _calls.Count;

    /// <summary>Opens a channel on <paramref name="connection"/> and starts consuming direct replies on it.</summary>
    public static async Task<AmqpRpcClient> CreateAsync(AmqpConnection connection, CancellationToken cancellationToken = default)
    {
        var channel = connection.CreateChannel();
        var consumer = channel.Consume(DirectReplyTo, new AmqpConsumeOptions { AutoAck = true });
        AmqpRpcClient? client = null;
        var subscription = consumer.Subscribe(reply => client?.Replied(reply));
        client = new AmqpRpcClient(channel, consumer, subscription);
        try
        {
            await consumer.Started.WithCancellation(cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>
    /// Publishes a request to <paramref name="exchange"/> / <paramref name="routingKey"/> and returns the reply.
    /// <paramref name="timeout"/> defaults to the connection's operation timeout.
    /// </summary>
    public Deferred<AmqpDelivery> Call(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties? properties = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = new Deferred<AmqpDelivery>(_ => _calls.TryRemove(id, out Deferred<AmqpDelivery>? _));
        _calls[id] = reply;
        var request = properties ?? new BasicProperties();
        request.ReplyTo = DirectReplyTo;
        request.CorrelationId = id;
        var limit = timeout ?? _channel.Connection.Options.OperationTimeout;
        var timer = _channel.Connection.Loop.CallLater(limit, () =>
        {
            if (_calls.TryRemove(id, out var late))
            {
                late.TryErrback(new AmqpTimeoutException($"No reply to the RPC request to '{exchange}' / '{routingKey}' (correlation id {id}) within {limit.TotalSeconds:0.###} s.", "rpc " + routingKey, limit, true));
            }
        });
        _channel.Publish(exchange, routingKey, body, request).Subscribe(
            _ => { },
            error =>
            {
                if (_calls.TryRemove(id, out var failed))
                {
                    timer.Cancel();
                    failed.TryErrback(error);
                }
            });
        reply.Subscribe(_ => timer.Cancel(), _ => timer.Cancel());
        return reply;
    }

    /// <summary>Publishes a UTF-8 request and returns the reply.</summary>
    public Deferred<AmqpDelivery> Call(string exchange, string routingKey, string body, TimeSpan? timeout = null) =>
        Call(exchange, routingKey, System.Text.Encoding.UTF8.GetBytes(body), null, timeout);

    /// <summary>Stops consuming replies; calls still waiting fail.</summary>
    public async ValueTask DisposeAsync()
    {
        _replies.Dispose();
        foreach (var id in _calls.Keys)
        {
            if (_calls.TryRemove(id, out var call))
            {
                call.TryErrback(new ObjectDisposedException(nameof(AmqpRpcClient)));
            }
        }

        await _channel.DisposeAsync();
    }

    private void Replied(AmqpDelivery reply)
    {
        if (reply.Properties.CorrelationId is { } id && _calls.TryRemove(id, out var call))
        {
            call.TryCallback(reply);
        }
    }
}
