using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Publishes without confirms: done once queued, up to a limit of queued bytes; beyond it, backpressure.</summary>
public sealed class AmqpPublishQueueTests
{
    [Fact]
    public async Task WhileNoBrokerAnswers_PublishesUnderTheQueueLimitAreDoneAtOnce_AndLaterOnesWait()
    {
        await using var reactor = new ReactorFixture();
        var options = AmqpOptions.Parse($"amqp://127.0.0.1:{ReactorFixture.FreePort()}/") with
        {
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0 },
            OperationTimeout = TimeSpan.FromMinutes(5),
        };
        await using var connection = AmqpConnection.Create(reactor.Reactor, options);
        var channel = connection.CreateChannel();
        var body = new byte[64 << 10];

        var publishes = Enumerable.Range(0, 40).Select(_ => channel.Publish("", "q", body)).ToList();

        var done = publishes.TakeWhile(p => p.Called).Count();
        Assert.InRange(done, 10, 16); // 1 MiB of 64 KiB bodies
        Assert.All(publishes.Skip(done), p => Assert.False(p.Called));
    }
}
