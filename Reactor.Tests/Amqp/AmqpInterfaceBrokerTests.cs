using System.Globalization;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Cancellation tokens against the real broker: a cancelled RPC call and channel methods leave the connection and channel in step.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpInterfaceBrokerTests(RabbitMqFixture fixture) : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private AmqpConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, await fixture.NewVhostAsync()).Within();

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task ARpcCallCancelledWhileItsReplyIsPending_FailsAlone_IsForgotten_AndItsLateReplyIsDropped()
    {
        var server = _connection.CreateChannel();
        await server.QueueDeclare("rpc_cancel").ToTask().Within();
        var held = new TaskCompletionSource<AmqpDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var serving = server.Consume("rpc_cancel").Subscribe(request =>
        {
            if (request.BodyText == "hold")
            {
                held.TrySetResult(request);
            }
            else
            {
                var n = int.Parse(request.BodyText, CultureInfo.InvariantCulture);
                server.Publish("", request.Properties.ReplyTo!, (n * n).ToString(CultureInfo.InvariantCulture), new BasicProperties { CorrelationId = request.Properties.CorrelationId });
            }

            request.Ack();
        });
        await using var rpc = await AmqpRpcClient.CreateAsync(_connection).Within();
        using var cts = new CancellationTokenSource();

        var cancelled = rpc.Call("", "rpc_cancel", "hold", cancellationToken: cts.Token).ToTask();
        var request = await held.Task.Within();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Within());
        Assert.Equal(0, rpc.Pending);

        // The late reply arrives and matches nothing; the next call gets its own answer.
        await server.Publish("", request.Properties.ReplyTo!, "late", new BasicProperties { CorrelationId = request.Properties.CorrelationId }).ToTask().Within();
        Assert.Equal("9", (await rpc.Call("", "rpc_cancel", "3").ToTask().Within()).BodyText);

        using var already = new CancellationTokenSource();
        await already.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rpc.Call("", "rpc_cancel", "4", cancellationToken: already.Token).ToTask().Within());
        Assert.Equal(0, rpc.Pending);
    }

    [Fact]
    public async Task ChannelMethodsCancelledAfterTheyWereSent_FailAlone_AndTheChannelStaysOpenAndInStep()
    {
        IAmqpChannel channel = _connection.CreateChannel();
        using var cts = new CancellationTokenSource();

        // Cancelled once written: the declare still reaches the broker, its declare-ok is read and dropped.
        var declares = Enumerable.Range(0, 20).Select(i => channel.QueueDeclare($"q{i}", cancellationToken: cts.Token).ToTask()).ToList();
        await cts.CancelAsync();
        var outcomes = await Task.WhenAll(declares.Select(d => d.ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default))).Within();
        Assert.All(outcomes, e => Assert.True(e is null or OperationCanceledException, e?.ToString()));

        Assert.Equal("after", (await channel.QueueDeclare("after").ToTask().Within()).Name);
        await channel.Publish("", "after", "message").ToTask().Within();
        Assert.Equal("message", (await channel.Get("after", autoAck: true).ToTask().Within())!.BodyText);
        Assert.Equal(0u, (await channel.QueueDeclarePassive("after").ToTask().Within()).MessageCount);
    }
}
