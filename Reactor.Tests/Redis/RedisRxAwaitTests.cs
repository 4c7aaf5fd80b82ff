using System.Reactive.Linq;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

/// <summary>Awaiting the client's observables through Rx's own awaiter leaves thread-pool code on the thread pool.</summary>
[Collection("redis")]
public class RedisRxAwaitTests(RedisFixture fixture)
{
    private RedisDatabase Db => fixture.Client.Db;

    [Fact]
    public async Task AwaitingAScanList_FromTheThreadPool_DoesNotMoveTheCallerOntoALoop()
    {
        var prefix = Key("k");
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Db.Set($"{prefix}:{i}", "v").ToTask())).Within();

        var (count, onLoop, context, blocked) = await Task.Run(async () =>
        {
            var keys = await Db.Scan($"{prefix}:*", pageSize: 10).ToList();
            var afterScan = (EventLoop.Current is not null, SynchronizationContext.Current);

            // Blocking here is legal off the reactor; on a loop it would throw BlockingCallOnReactorThreadException.
            var value = Db.Get($"{prefix}:0").GetResult(Guard.Timeout);
            return (keys.Count, afterScan.Item1, afterScan.Item2, value);
        }).Within();

        Assert.Equal(30, count);
        Assert.False(onLoop);
        Assert.Null(context);
        Assert.Equal("v", blocked);
    }
}
