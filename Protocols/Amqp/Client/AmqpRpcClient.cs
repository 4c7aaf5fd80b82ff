using System.Collections.Concurrent;
using System.Globalization;
using System.Reactive;

namespace ReactiveKv.Amqp;

/// <summary>
/// Request/reply over RabbitMQ's direct reply-to (the RPC tutorial): requests go out with
/// <c>reply_to = amq.rabbitmq.reply-to</c> and a fresh correlation id, and each call's Deferred settles with the reply
/// carrying its id, or fails with <see cref="AmqpTimeoutException"/> when none comes within the deadline. One channel,
/// one consumer, any number of calls in flight from any thread. Replies are matched on the loop, and deadlines are
/// kept by one sweep on the loop, not a timer per call.
/// </summary>
public sealed class AmqpRpcClient : IAsyncDisposable
{
    /// <summary>The pseudo-queue of direct reply-to.</summary>
    public const string DirectReplyTo = "amq.rabbitmq.reply-to";

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);
    private readonly AmqpChannel _channel;
    private readonly ConcurrentDictionary<string, PendingCall> _calls = new();
    private IDisposable? _replies;
    private IDelayedCall? _sweep;
    private volatile bool _disposed;
    private long _nextId;

    private AmqpRpcClient(AmqpChannel channel, AmqpConsumer consumer)
    {
        _channel = channel;
        Consumer = consumer;
    }

    /// <summary>The consumer of direct replies.</summary>
    public AmqpConsumer Consumer { get; }

    /// <summary>Calls waiting for replies.</summary>
    public int Pending => _calls.Count;

    private EventLoop Loop => _channel.Connection.Loop;

    /// <summary>Opens a channel on <paramref name="connection"/> and starts consuming direct replies on it.</summary>
    public static async Task<AmqpRpcClient> CreateAsync(AmqpConnection connection, CancellationToken cancellationToken = default)
    {
        var channel = connection.CreateChannel();
        var client = new AmqpRpcClient(channel, channel.Consume(DirectReplyTo, new AmqpConsumeOptions { AutoAck = true }));
        client._replies = client.Consumer.SubscribeOnLoop(System.Reactive.Observer.Create<AmqpDelivery>(client.Replied, client.RepliesEnded));
        connection.Loop.Execute(client.ArmSweep);
        try
        {
            await client.Consumer.Started.WithCancellation(cancellationToken);
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
    /// <paramref name="timeout"/> defaults to the connection's operation timeout. The properties given are copied.
    /// A cancelled <paramref name="cancellationToken"/> publishes nothing; cancelled later, it fails the call with
    /// <see cref="OperationCanceledException"/> and stops waiting (the request may already be with the server; a late
    /// reply is dropped).
    /// </summary>
    public Deferred<AmqpDelivery> Call(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties? properties = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return AmqpChannel.Cancelled<AmqpDelivery>();
        }

        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var limit = timeout ?? _channel.Connection.Options.OperationTimeout;
        var call = new PendingCall(new Deferred<AmqpDelivery>(_ => _calls.TryRemove(id, out PendingCall? _)), DateTimeOffset.UtcNow + limit, limit, routingKey);
        _calls[id] = call;
        var request = properties is null ? new BasicProperties() : properties.Clone();
        request.ReplyTo = DirectReplyTo;
        request.CorrelationId = id;
        _channel.Publish(exchange, routingKey, body, request, error =>
        {
            if (_calls.TryRemove(id, out var failed))
            {
                failed.Reply.TryErrback(error);
            }
        });

        // Cancelling runs the reply's canceller, which forgets the call: a late reply finds nothing to settle.
        return call.Reply.WithCancellation(cancellationToken);
    }

    /// <summary>Publishes a UTF-8 request and returns the reply; cancelled as the other overload.</summary>
    public Deferred<AmqpDelivery> Call(string exchange, string routingKey, string body, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Call(exchange, routingKey, System.Text.Encoding.UTF8.GetBytes(body), null, timeout, cancellationToken);

    /// <summary>Stops consuming replies; calls still waiting fail.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _replies?.Dispose();
        if (Loop.IsRunning)
        {
            // The sweep may have run its last time already (it stops re-arming once disposed).
            await Loop.InvokeAsync(() =>
            {
                if (_sweep is { Active: true } sweep)
                {
                    sweep.Cancel();
                }
            });
        }

        FailAll(new ObjectDisposedException(nameof(AmqpRpcClient)));
        await _channel.DisposeAsync();
    }

    private void Replied(AmqpDelivery reply)
    {
        if (reply.Properties.CorrelationId is { } id && _calls.TryRemove(id, out var call))
        {
            call.Reply.TryCallback(reply);
        }
    }

    private void RepliesEnded(Exception error) => FailAll(error);

    private void FailAll(Exception error)
    {
        foreach (var id in _calls.Keys)
        {
            if (_calls.TryRemove(id, out var call))
            {
                call.Reply.TryErrback(error);
            }
        }
    }

    private void ArmSweep()
    {
        if (!_disposed)
        {
            _sweep = Loop.CallLater(SweepInterval, Sweep);
        }
    }

    private void Sweep()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, call) in _calls)
        {
            if (call.Due <= now && _calls.TryRemove(id, out _))
            {
                call.Reply.TryErrback(new AmqpTimeoutException($"No reply to the RPC request to '{call.RoutingKey}' (correlation id {id}) within {call.Timeout.TotalSeconds:0.###} s.", "rpc " + call.RoutingKey, call.Timeout, true));
            }
        }

        ArmSweep();
    }

    private sealed record PendingCall(Deferred<AmqpDelivery> Reply, DateTimeOffset Due, TimeSpan Timeout, string RoutingKey);
}
