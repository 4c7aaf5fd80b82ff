using System.Collections.Concurrent;
using System.Reactive;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// <see cref="IAmqpConnection"/> and <see cref="IAmqpChannel"/>: code written against them runs on fakes and on the
/// real client (against <see cref="FakeAmqpBroker"/>); cancellation tokens on channel methods.
/// </summary>
public sealed class AmqpInterfaceTests : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private FakeAmqpBroker _broker = null!;

    public Task InitializeAsync()
    {
        _broker = new FakeAmqpBroker(_reactor.Reactor);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task CodeWrittenAgainstTheInterfaces_RunsOnFakes_AndPassesTheTokenOn()
    {
        using var cts = new CancellationTokenSource();
        var (channel, channelFake) = ProxyFake<IAmqpChannel>.Create((method, args) => method.Name switch
        {
            nameof(IAmqpChannel.QueueDeclare) => Deferred.Succeed(new AmqpQueueInfo((string)args[0]!, 0, 0)),
            nameof(IAmqpChannel.Publish) => Deferred.Succeed(Unit.Default),
            _ => throw new NotSupportedException(method.Name),
        });
        var (connection, connectionFake) = ProxyFake<IAmqpConnection>.Create((method, args) => method.Name switch
        {
            nameof(IAmqpConnection.CreateChannel) => channel,
            _ => throw new NotSupportedException(method.Name),
        });

        Assert.Equal("orders", await PlaceOrderAsync(connection, "one book", cts.Token));

        Assert.Equal(true, Assert.Single(connectionFake.Calls).Args[0]);
        Assert.Equal([nameof(IAmqpChannel.QueueDeclare), nameof(IAmqpChannel.Publish)], channelFake.Calls.Select(c => c.Method));
        Assert.Equal("one book", channelFake.Calls[1].Args[2]);
        Assert.All(channelFake.Calls, c => Assert.Equal(cts.Token, c.Args[^1]));
    }

    [Fact]
    public async Task TheRealConnection_ThroughTheInterfaces_AgainstTheFakeBroker()
    {
        await using var real = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        IAmqpConnection connection = real;

        Assert.Equal("orders", await PlaceOrderAsync(connection, "one book"));

        var (_, body) = Assert.Single(_broker.Queues["orders"]);
        Assert.Equal("one book", Encoding.UTF8.GetString(body));
        Assert.Contains(_broker.Sessions[0].Received, m => m.Method is QueueDeclare { Queue: "orders", Durable: true });
        Assert.Equal(ClientConnectionState.Connected, connection.ConnectionState);
    }

    [Fact]
    public async Task APreCancelledToken_FailsTheMethod_SendsNothing_AndTheChannelKeepsWorking()
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("first").ToTask().Within();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.QueueDeclare("unsent", cancellationToken: cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.Publish("", "unsent", "body", cancellationToken: cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ((IAmqpChannel)channel).Get("first", cancellationToken: cts.Token).ToTask().Within());

        Assert.Equal("after", (await channel.QueueDeclare("after").ToTask().Within()).Name);
        var received = _broker.Sessions[0].Received;
        Assert.DoesNotContain(received, m => m.Method is QueueDeclare { Queue: "unsent" } or BasicPublish or BasicGet);
        Assert.False(_broker.Queues.ContainsKey("unsent"));
    }

    [Fact]
    public async Task CancellingAWrittenMethodWhoseReplyIsHeld_FailsOnlyIt_ItsLateReplyIsDropped_AndTheChannelStaysInStep()
    {
        // The broker holds the declare-oks of "held" and everything declared after it, then answers them in order (as a broker must).
        var held = new ConcurrentQueue<(FakeAmqpSession Session, ushort Channel, string Queue)>();
        var holding = true;
        var heldSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _broker.OnMethod = (session, channel, method) =>
        {
            if (method is not QueueDeclare declare || !(Volatile.Read(ref holding) && (declare.Queue == "held" || !held.IsEmpty)))
            {
                return false;
            }

            held.Enqueue((session, channel, declare.Queue));
            heldSeen.TrySetResult();
            return true;
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        IAmqpChannel channel = connection.CreateChannel();
        await channel.QueueDeclare("before").ToTask().Within();
        using var cts = new CancellationTokenSource();

        var cancelled = channel.QueueDeclare("held", cancellationToken: cts.Token).ToTask();
        await heldSeen.Task.Within();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Within());

        var behind = channel.QueueDeclare("behind").ToTask();
        Guard.Until(() => held.Count == 2, "the broker received the declare behind the cancelled one");
        Volatile.Write(ref holding, false);
        while (held.TryDequeue(out var reply))
        {
            await reply.Session.Send(reply.Channel, new QueueDeclareOk { Queue = reply.Queue });
        }

        // "held"'s declare-ok was read for the cancelled method and dropped; "behind" got its own.
        Assert.Equal("behind", (await behind.Within()).Name);
        Assert.Equal("later", (await channel.QueueDeclare("later").ToTask().Within()).Name);
        Assert.Single(_broker.Sessions);
    }

    // Application code that knows only the interfaces.
    private static async Task<string> PlaceOrderAsync(IAmqpConnection connection, string order, CancellationToken cancellationToken = default)
    {
        var channel = connection.CreateChannel(confirms: true);
        var queue = await channel.QueueDeclare("orders", durable: true, cancellationToken: cancellationToken);
        await channel.Publish("", queue.Name, order, cancellationToken: cancellationToken);
        return queue.Name;
    }
}
