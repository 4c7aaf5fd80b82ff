using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace ReactiveKv.Amqp;

/// <summary>
/// One AMQP 0-9-1 connection to RabbitMQ on the reactor, shared by any number of channels and threads, on the shared
/// client-connection service: it connects with a timeout, reconnects with backoff, and after every reconnect
/// recovers what was declared through it (exchanges, queues, server-named queues under their new names, bindings,
/// consumers) and runs <see cref="RecoverySetup"/> before waiting operations go out.
/// </summary>
public sealed class AmqpConnection : IAmqpConnection, IAmqpConnectionOwner
{
    private readonly ClientConnectionService<AmqpProtocol, AmqpCommand> _service;
    private readonly Dictionary<ushort, AmqpChannel> _channels = [];
    private readonly Lock _gate = new();
    private readonly BehaviorSubject<string?> _blocked = new(null);
    private readonly Subject<AmqpRecoveryEvent> _recovery = new();
    private readonly AmqpChannel _recoveryChannel;
    private AmqpProtocol? _recovering;
    private static readonly Deferred<System.Reactive.Unit> Queued = Deferred.Succeed(System.Reactive.Unit.Default);
    private long _queuedPublishBytes;
    private bool _everConnected;
    private volatile bool _disposing;
    private ushort _nextChannel = 1;

    private AmqpConnection(Reactor reactor, AmqpOptions options)
    {
        options = options with { Monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, AmqpErrors.Instance.Backend) };
        Options = options;
        var server = options.Describe();
        _service = new ClientConnectionService<AmqpProtocol, AmqpCommand>(
            reactor,
            options.Connection(),
            AmqpErrors.Instance,
            server,
            options.ConnectWith ?? ((factory, loop) => Connect(reactor, options, factory, loop)),
            () => new AmqpProtocol(options, this, AmqpErrors.Instance, server),
            telemetry: AmqpTelemetry.Instance);
        _recoveryChannel = CreateChannel();
        BlockedChanges = _blocked.DistinctUntilChanged().ObserveOffLoop();
        Recoveries = _recovery.ObserveOffLoop();
    }

    /// <inheritdoc />
    public AmqpOptions Options { get; }

    /// <inheritdoc />
    public ClientConnectionState ConnectionState => ConnectionMonitor.State;

    /// <inheritdoc />
    public Exception? LastConnectionError => ConnectionMonitor.LastError;

    /// <inheritdoc />
    public IObservable<ClientConnectionEvent> ConnectionEvents => ConnectionMonitor.Events;

    /// <summary>Where every connection of the client reports its events and state.</summary>
    public ClientConnectionMonitor ConnectionMonitor => Options.Monitor!;

    /// <summary>The loop the connection lives on.</summary>
    public EventLoop Loop => _service.Loop;

    /// <inheritdoc />
    public bool IsConnected => _service.IsConnected;

    /// <inheritdoc />
    public string? BlockedReason => _blocked.Value;

    /// <inheritdoc />
    public IObservable<string?> BlockedChanges { get; }

    /// <inheritdoc />
    public IObservable<AmqpRecoveryEvent> Recoveries { get; }

    /// <inheritdoc />
    public Func<AmqpChannel, Task>? RecoverySetup { get; set; }

    /// <inheritdoc />
    public FieldTable? ServerProperties => _service.Connection?.ServerProperties;

    internal AmqpTopology Topology { get; } = new();

    /// <summary>A connection for <paramref name="options"/>; it starts connecting at once.</summary>
    public static AmqpConnection Create(Reactor reactor, AmqpOptions options) => new(reactor, options);

    /// <summary>A connection for an <c>amqp://</c> or <c>amqps://</c> URL; it starts connecting at once.</summary>
    public static AmqpConnection Create(Reactor reactor, string url) => new(reactor, AmqpOptions.Parse(url));

    /// <summary>Connects and completes once the handshake is done, or fails with the connect error.</summary>
    public static Task<AmqpConnection> ConnectAsync(Reactor reactor, AmqpOptions options, CancellationToken cancellationToken = default) =>
        ConnectableClient.ConnectOrDisposeAsync(new AmqpConnection(reactor, options), cancellationToken);

    /// <summary>Connects to an <c>amqp://</c> or <c>amqps://</c> URL.</summary>
    public static Task<AmqpConnection> ConnectAsync(Reactor reactor, string url, CancellationToken cancellationToken = default) =>
        ConnectAsync(reactor, AmqpOptions.Parse(url), cancellationToken);

    /// <inheritdoc />
    public Task ConnectAsync(CancellationToken cancellationToken = default) => _service.ConnectAsync(cancellationToken);

    /// <summary>A new channel; it opens on first use. With <paramref name="confirms"/>, every publish is confirmed.</summary>
    /// <param name="confirms">Whether the channel runs in confirm mode.</param>
    public AmqpChannel CreateChannel(bool confirms = false)
    {
        lock (_gate)
        {
            var max = Math.Min(Options.ChannelMax == 0 ? ushort.MaxValue : Options.ChannelMax, _service.Connection?.ChannelMax is > 0 and var negotiated ? negotiated : ushort.MaxValue);
            for (var tried = 0; tried < max; tried++)
            {
                var number = _nextChannel;
                _nextChannel = (ushort)(_nextChannel >= max ? 1 : _nextChannel + 1);
                if (!_channels.ContainsKey(number))
                {
                    var channel = new AmqpChannel(this, number, confirms);
                    _channels.Add(number, channel);
                    return channel;
                }
            }

            throw new InvalidOperationException($"All {max} channels of the connection to {Options.Describe()} are in use; dispose some.");
        }
    }

    /// <inheritdoc />
    IAmqpChannel IAmqpConnection.CreateChannel(bool confirms) => CreateChannel(confirms);

    /// <summary>Closes the connection (connection.close, then the socket); waiting operations fail; consumers complete.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        if (Loop.IsRunning)
        {
            await Loop.InvokeAsync(() => _service.Connection?.Close());
        }

        await _service.DisposeAsync();
        AmqpChannel[] channels;
        lock (_gate)
        {
            channels = [.. _channels.Values];
        }

        foreach (var consumer in channels.SelectMany(c => c.Consumers.Values))
        {
            consumer.End(null);
        }

        _recovery.OnCompleted();
        ConnectionMonitor.Complete();
    }

    /// <summary>
    /// Sends a publish without confirms. Like RabbitMQ.Client's, it counts as done once queued for the socket, as long
    /// as less than <see cref="PublishQueueLimit"/> bytes of publishes wait to be written; beyond that the caller waits
    /// until this one is written (backpressure, also while disconnected). Without confirms nothing says it arrived.
    /// </summary>
    internal Deferred<System.Reactive.Unit> SubmitPublish(AmqpChannel channel, BasicPublish method, BasicProperties? properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var size = body.Length + 64L;
        var eager = Interlocked.Add(ref _queuedPublishBytes, size) <= PublishQueueLimit;
        var command = new AmqpCommand(channel, method, AmqpReplyKind.None, unitResult: true, eager: eager)
        {
            Properties = properties,
            Body = body,
            QueuedBytes = size,
        };
        Submit(command);

        // Queued at once: nothing is left to cancel. Waiting for room (backpressure): a cancel fails it and, unless
        // it was written meanwhile, keeps it from being written.
        return eager ? Queued : AmqpChannel.CancelWith(command, command.Done, cancellationToken);
    }

    /// <summary>How many bytes of publishes without confirms may wait to be written before publishers wait.</summary>
    internal const long PublishQueueLimit = 1 << 20;

    internal void Unqueue(long bytes) => Interlocked.Add(ref _queuedPublishBytes, -bytes);

    internal void Submit(AmqpCommand command)
    {
        if (_recovering is { } protocol && Loop.IsLoopThread)
        {
            protocol.SendRecovery(command);
        }
        else
        {
            _service.Submit(command);
        }
    }

    internal void Forget(AmqpChannel channel)
    {
        lock (_gate)
        {
            _channels.Remove(channel.Number);
        }
    }

    async Task IAmqpConnectionOwner.RecoverAsync(AmqpProtocol protocol)
    {
        if (!_everConnected)
        {
            _everConnected = true;
            return;
        }

        _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.Reconnected, Options.Describe()));
        _recovering = protocol;
        try
        {
            await RecoverTopologyAsync();
            if (RecoverySetup is { } setup)
            {
                // Before the consumers: they may consume from what the hook declares.
                Topology.Paused = true;
                try
                {
                    await setup(_recoveryChannel);
                }
                catch (Exception e)
                {
                    // The connection is dropped and the whole recovery tried again with backoff.
                    _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.Failed, "RecoverySetup", e));
                    throw;
                }
                finally
                {
                    Topology.Paused = false;
                }
            }

            await RecoverConsumersAsync();
        }
        finally
        {
            _recovering = null;
        }

        _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.Completed, $"{Topology.Count} entities"));
        ConnectionMonitor.Publish(ClientConnectionEventKind.Recovered, Options.Describe(), detail: $"{Topology.Count} entities");
    }

    void IAmqpConnectionOwner.Delivered(ChannelSession session, BasicDeliver deliver, BasicProperties properties, byte[] body)
    {
        var delivery = new AmqpDelivery(session.Channel, session.Epoch, deliver.DeliveryTag, deliver.Redelivered, deliver.Exchange, deliver.RoutingKey, properties, body, deliver.ConsumerTag, null);
        AmqpTelemetry.Instance.Consumed("deliver", AmqpOperationNames.Exchange(deliver.Exchange), Options.Host, Options.Port);
        var known = session.Channel.Consumers.TryGetValue(deliver.ConsumerTag, out var consumer);
        if (!known || !consumer!.Options.AutoAck)
        {
            session.Acks.Delivered(deliver.DeliveryTag);
        }

        if (known && consumer!.HasSubscribers)
        {
            consumer.Deliver(delivery);
        }
        else if (consumer is null || !consumer.Options.AutoAck)
        {
            // Its consumer is being cancelled: hand the message back rather than leave it unacknowledged.
            session.Channel.Reject(delivery, requeue: true);
        }
    }

    void IAmqpConnectionOwner.Returned(ChannelSession session, BasicReturn returned, BasicProperties properties, byte[] body) =>
        session.Channel.Returned(new AmqpReturnedMessage(returned.ReplyCode, returned.ReplyText, returned.Exchange, returned.RoutingKey, properties, body));

    void IAmqpConnectionOwner.ConsumerCancelled(ChannelSession session, string consumerTag)
    {
        if (session.Channel.Consumers.TryRemove(consumerTag, out var consumer))
        {
            consumer.End(new AmqpConsumerCancelledException($"The broker cancelled consumer '{consumerTag}' of queue '{consumer.Queue}' (the queue was deleted, or its node went away).", consumerTag, consumer.Queue));
        }
    }

    void IAmqpConnectionOwner.ChannelClosed(ChannelSession session, AmqpChannelException error)
    {
        foreach (var consumer in session.Channel.Consumers.Values)
        {
            session.Channel.Consumers.TryRemove(consumer.Tag, out _);
            consumer.End(error);
        }
    }

    void IAmqpConnectionOwner.BlockedChanged(string? reason) => _blocked.OnNext(reason);

    void IAmqpConnectionOwner.ConnectionLost(Exception reason)
    {
        // A new connection starts unblocked: the broker says connection.blocked again if it still has an alarm.
        _blocked.OnNext(null);
        if (!_disposing)
        {
            _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.ConnectionLost, Options.Describe(), reason));
        }
    }

    private static IConnector Connect(Reactor reactor, AmqpOptions options, IClientFactory factory, EventLoop loop)
    {
        if (!options.UseTls)
        {
            return reactor.ConnectTcp(options.Host, options.Port, factory, options.ConnectTimeout, loop: loop);
        }

        return reactor.ConnectTls(options.Host, options.Port, factory, options.Tls, options.ConnectTimeout, loop: loop);
    }

    private async Task RecoverTopologyAsync()
    {
        var (exchanges, queues, _) = Topology.Snapshot();
        foreach (var (name, declare) in exchanges)
        {
            await RecoverStepAsync($"exchange '{name}'", _recoveryChannel.Call(declare));
        }

        foreach (var (name, declare) in queues)
        {
            var reply = await RecoverStepAsync($"queue '{name}'", _recoveryChannel.Call(declare));
            if (reply is QueueDeclareOk ok && ok.Queue != name)
            {
                Topology.RenameQueue(name, ok.Queue);
                RenameConsumers(name, ok.Queue);
                _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.QueueRenamed, $"{name} -> {ok.Queue}"));
            }
        }

        foreach (var binding in Topology.Snapshot().Bindings)
        {
            await RecoverStepAsync(binding.Name, _recoveryChannel.Call(binding));
        }
    }

    private async Task RecoverConsumersAsync()
    {
        AmqpChannel[] channels;
        lock (_gate)
        {
            channels = [.. _channels.Values];
        }

        foreach (var consumer in channels.SelectMany(c => c.Consumers.Values).Where(c => c.IsActive))
        {
            if (await RecoverStepAsync($"consumer '{consumer.Tag}'", consumer.Channel.Call(AmqpChannel.ConsumeMethod(consumer))) is not null)
            {
                _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.ConsumerRecovered, $"{consumer.Tag} on '{consumer.Queue}'"));
            }
        }
    }

    private void RenameConsumers(string from, string to)
    {
        lock (_gate)
        {
            foreach (var consumer in _channels.Values.SelectMany(c => c.Consumers.Values).Where(c => c.Queue == from))
            {
                consumer.Queue = to;
            }
        }
    }

    private async Task<object?> RecoverStepAsync(string what, Deferred<object?> step)
    {
        try
        {
            return await step;
        }
        catch (AmqpChannelException e)
        {
            _recovery.OnNext(new AmqpRecoveryEvent(AmqpRecoveryEventKind.Failed, what, e));
            return null;
        }
    }
}
