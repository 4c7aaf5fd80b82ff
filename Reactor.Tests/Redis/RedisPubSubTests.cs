using System.Reactive.Linq;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

[Collection("redis")]
public class RedisPubSubTests(RedisFixture fixture)
{
    [Fact]
    public async Task SubscribersOfAChannel_ShareOneServerSubscription_AndAllGetEachMessage()
    {
        var channel = Key("news");
        var stream = fixture.Client.Subscribe(channel);
        var a = new Collector(stream);
        var b = new Collector(stream);
        await a.Subscribed.Task.Within();
        await b.Subscribed.Task.Within();

        Assert.Equal(1, await NumSub(channel));
        Assert.Equal(1, await fixture.Client.Publish(channel, "hello"));
        await a.WhenCount(1).Within();
        await b.WhenCount(1).Within();
        Assert.Equal("hello", a.Messages.Single().Text);
        Assert.Equal(channel, b.Messages.Single().Channel);

        a.Dispose();
        Assert.Equal(1, await fixture.Client.Publish(channel, "still one subscription"));
        b.Dispose();
        await Until(async () => await NumSub(channel) == 0);
    }

    [Fact]
    public async Task PatternSubscriptions_CarryThePattern_AndKeyspaceNotificationsWork()
    {
        var pattern = $"__keyspace@0__:{Key("watched")}*";
        using var events = new Collector(fixture.Client.PSubscribe(pattern));
        await events.Subscribed.Task.Within();

        await fixture.Client.Db.Set(Key("watched:1"), "x");
        await events.WhenCount(1).Within();

        var message = events.Messages.Single();
        Assert.Equal(pattern, message.Pattern);
        Assert.EndsWith(Key("watched:1"), message.Channel);
        Assert.Equal("set", message.Text);
    }

    [Fact]
    public async Task ShardChannels_WorkThroughTheSameApi()
    {
        var channel = Key("shard");
        using var collector = new Collector(fixture.Client.SSubscribe(channel));
        await collector.Subscribed.Task.Within();
        Assert.Equal(1, await fixture.Client.Db.SPublish(channel, "sharded"));
        await collector.WhenCount(1).Within();
        Assert.Equal(("sharded", channel), (collector.Messages.Single().Text, collector.Messages.Single().Channel));
    }

    [Fact]
    public async Task AnRxPipeline_BuffersAndAggregatesMessages()
    {
        var channel = Key("metrics");
        var sums = fixture.Client.Subscribe(channel)
            .Where(m => m.Kind == RedisMessageKind.Message)
            .Select(m => int.Parse(m.Text, System.Globalization.CultureInfo.InvariantCulture))
            .Buffer(5)
            .Select(batch => batch.Sum())
            .Take(2)
            .ToList()
            .ToTask();
        await Until(async () => await NumSub(channel) == 1);
        for (var i = 1; i <= 10; i++)
        {
            await fixture.Client.Publish(channel, i);
        }

        Assert.Equal([15, 40], await sums.Within());
    }

    [Fact]
    public async Task AfterTheSubscriberConnectionIsKilled_SubscriptionsComeBack_WithAGapNotice()
    {
        var channel = Key("resilient");
        using var collector = new Collector(fixture.Client.Subscribe(channel));
        await collector.Subscribed.Task.Within();
        var gap = collector.WhenKind(RedisMessageKind.Gap);
        var resubscribed = collector.WhenSubscribedCount(2);

        var killed = await fixture.Client.Db.Execute("CLIENT", "KILL", "TYPE", "pubsub");
        Assert.True(killed.Integer >= 1);
        await gap.Within();
        await resubscribed.Within();

        Assert.Equal(1, await fixture.Client.Publish(channel, "after"));
        await collector.WhenCount(1).Within();
        Assert.Equal("after", collector.Messages.Single().Text);
    }

    private async Task<long> NumSub(string channel) =>
        (await fixture.Client.Db.Execute("PUBSUB", "NUMSUB", channel)).Items[1].Integer;

    private static async Task Until(Func<Task<bool>> condition)
    {
        // The server applies an UNSUBSCRIBE asynchronously to our disposal; poll it, bounded, instead of sleeping.
        // Bounded in time, not in polls: a poll is one round trip, and a fast one cannot outwait a slow (re)connect.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < Guard.Timeout)
        {
            if (await condition())
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail("the condition never held");
    }

    private sealed class Collector : IDisposable
    {
        private readonly IDisposable _subscription;
        private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waiters = [];
        private int _subscribedCount;

        public Collector(IObservable<RedisMessage> stream) => _subscription = stream.Subscribe(OnMessage);

        public List<RedisMessage> Messages { get; } = [];

        public List<RedisMessage> All { get; } = [];

        public TaskCompletionSource Subscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WhenCount(int count) => When(() => Messages.Count >= count);

        public Task WhenKind(RedisMessageKind kind) => When(() => All.Any(m => m.Kind == kind));

        public Task WhenSubscribedCount(int count) => When(() => _subscribedCount >= count);

        public void Dispose() => _subscription.Dispose();

        private Task When(Func<bool> done)
        {
            lock (All)
            {
                if (done())
                {
                    return Task.CompletedTask;
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((done, signal));
                return signal.Task;
            }
        }

        private void OnMessage(RedisMessage message)
        {
            lock (All)
            {
                All.Add(message);
                if (message.Kind == RedisMessageKind.Message)
                {
                    Messages.Add(message);
                }
                else if (message.Kind == RedisMessageKind.Subscribed)
                {
                    _subscribedCount++;
                    Subscribed.TrySetResult();
                }

                foreach (var waiter in _waiters.Where(w => w.Done()).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
