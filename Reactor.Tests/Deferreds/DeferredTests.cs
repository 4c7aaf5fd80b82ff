using System.Reactive.Linq;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Deferreds;

public class DeferredTests
{
    [Fact]
    public async Task ALateSubscriber_GetsTheKeptResult_AndTheOperationRunsOnce()
    {
        var runs = 0;
        var d = Deferred.Execute(() => ++runs);

        Assert.Equal(1, await d);
        Assert.Equal(1, await d);
        Assert.Equal(1, await d.Select(x => x * 10).Select(x => x / 10));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task SubscribersRacingTheResult_EachGetItExactlyOnce()
    {
        for (var round = 0; round < 2000; round++)
        {
            var deferred = new Deferred<int>();
            var seen = new int[4];
            var completed = new int[4];
            using var start = new Barrier(5);
            var subscribers = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                start.SignalAndWait();
                deferred.Subscribe(v => Interlocked.Add(ref seen[i], v), () => Interlocked.Increment(ref completed[i]));
            })).ToArray();
            var settle = Task.Run(() =>
            {
                start.SignalAndWait();
                deferred.Callback(1);
            });
            await Task.WhenAll([.. subscribers, settle]).Within();

            Assert.All(seen, v => Assert.Equal(1, v));
            Assert.All(completed, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public async Task AnErrorBeforeAnySubscriber_IsReplayedToLateOnes()
    {
        var deferred = new Deferred<int>();
        deferred.Errback(new InvalidOperationException("boom"));

        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => deferred.ToTask());
        var second = await Assert.ThrowsAsync<InvalidOperationException>(async () => await deferred);
        Assert.Equal("boom", first.Message);
        Assert.Equal("boom", second.Message);
    }

    [Fact]
    public void FiringTwice_Throws()
    {
        var d = new Deferred<int>();
        d.Callback(1);
        Assert.Throws<AlreadyCalledException>(() => d.Callback(2));
        Assert.Throws<AlreadyCalledException>(() => d.Errback(new Exception()));
        Assert.False(d.TryCallback(3));
        Assert.Equal(1, d.GetResult());
    }

    [Fact]
    public async Task Cancel_RunsTheCanceller_AndFailsWithOperationCanceled()
    {
        var cancelled = false;
        var d = new Deferred<string>(_ => cancelled = true);
        d.Cancel();

        Assert.True(cancelled);
        Assert.True(d.IsCancelled);
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await d);
        d.Callback("late reply after cancel is ignored, as in Twisted");
    }

    [Fact]
    public async Task CancellationToken_CancelsIt()
    {
        using var cts = new CancellationTokenSource();
        var d = new Deferred<int>().WithCancellation(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await d);
    }

    [Fact]
    public async Task AddTimeout_FailsOnTheVirtualClock_AndCancelsTheOperation()
    {
        var clock = new TestScheduler();
        var cancelled = false;
        var d = new Deferred<int>(_ => cancelled = true).AddTimeout(TimeSpan.FromSeconds(5), clock);

        clock.AdvanceBy(TimeSpan.FromSeconds(4));
        Assert.False(d.Called);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ReactorTimeoutException>(async () => await d);
        Assert.Equal(TimeSpan.FromSeconds(5), error.Timeout);
        Assert.True(cancelled);
    }

    [Fact]
    public void AddTimeout_DoesNothing_WhenTheResultComesFirst()
    {
        var clock = new TestScheduler();
        var d = new Deferred<int>().AddTimeout(TimeSpan.FromSeconds(5), clock);
        d.Callback(7);
        clock.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(7, d.GetResult());
        Assert.Equal(0, clock.PendingCount);
    }

    [Fact]
    public async Task RxTimeout_OnTheVirtualClock_ComposesToo()
    {
        var clock = new TestScheduler();
        var pending = new Deferred<int>();
        var task = pending.Timeout(TimeSpan.FromSeconds(1), clock).ToTask();
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutException>(() => task);
    }

    [Fact]
    public async Task Gather_KeepsOrder()
    {
        var a = new Deferred<int>();
        var b = new Deferred<int>();
        var all = Deferred.Gather([a, b, Deferred.Succeed(3)]);
        b.Callback(2);
        Assert.False(all.Called);
        a.Callback(1);
        Assert.Equal([1, 2, 3], await all);
    }

    [Fact]
    public async Task Gather_FailsOnTheFirstError_AndCancelsTheRest()
    {
        var cancelled = false;
        var slow = new Deferred<int>(_ => cancelled = true);
        var all = Deferred.Gather([slow, Deferred.Fail<int>(new RemoteErrorException("nope"))]);
        await Assert.ThrowsAsync<RemoteErrorException>(async () => await all);
        Assert.True(cancelled);
    }

    [Fact]
    public async Task List_MaterialisesEveryOutcome()
    {
        var results = await Deferred.List([Deferred.Succeed(1), Deferred.Fail<int>(new RemoteErrorException("x"))]);
        Assert.True(results[0].Success);
        Assert.Equal(1, results[0].Value);
        Assert.False(results[1].Success);
        Assert.IsType<RemoteErrorException>(results[1].Error);
    }

    [Fact]
    public async Task Race_TakesTheFirst_AndCancelsTheOthers()
    {
        var loserCancelled = false;
        var loser = new Deferred<string>(_ => loserCancelled = true);
        var winner = new Deferred<string>();
        var race = Deferred.Race([loser, winner]);
        winner.Callback("fast");
        Assert.Equal((1, "fast"), await race);
        Assert.True(loserCancelled);
    }

    [Fact]
    public async Task From_ACompletedEmptyObservable_IsAnError_NotAHang()
    {
        var d = Observable.Empty<int>().ToDeferred();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await d);
    }

    [Fact]
    public async Task FromObservable_IsHot_SubscribesOnce()
    {
        var subscriptions = 0;
        var source = Observable.Defer(() =>
        {
            subscriptions++;
            return Observable.Return(5);
        });
        var d = source.ToDeferred();
        Assert.Equal(5, await d);
        Assert.Equal(5, await d);
        Assert.Equal(1, subscriptions);
    }

    [Fact]
    public async Task GetResult_OnAReactorThread_FailsFast_InsteadOfDeadlocking()
    {
        await using var fixture = new ReactorFixture();
        var loop = fixture.Reactor.MainLoop;
        var error = await loop.InvokeAsync(() =>
        {
            var pending = new Deferred<int>();
            try
            {
                pending.GetResult();
                return null;
            }
            catch (BlockingCallOnReactorThreadException e)
            {
                return e;
            }
        }).Within();

        Assert.NotNull(error);
        Assert.Contains("could never end", error!.Message);
    }

    [Fact]
    public async Task AwaitOnTheLoop_IsFine_AndResumesThere()
    {
        await using var fixture = new ReactorFixture();
        var reactor = fixture.Reactor;
        var resumedOnLoop = new TaskCompletionSource<bool>();
        reactor.CallFromThread(async () =>
        {
            await Deferred.Later(reactor, TimeSpan.FromMilliseconds(1));
            resumedOnLoop.SetResult(reactor.MainLoop.IsLoopThread);
        });
        Assert.True(await resumedOnLoop.Task.Within());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AwaitFromTheThreadPool_ResumesOnTheLoop_OnlyWhenTheReactorAsksForIt(bool resumeOnLoop)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, ResumeAwaitersOnLoop = resumeOnLoop });
        var reactor = fixture.Reactor;
        var pending = new Deferred<int>();

        var resumedOnLoop = await Task.Run(() =>
        {
            // The await registers before Run returns (the deferred is pending); only then is it settled on the loop.
            var awaiting = ResumedOnLoop(pending, reactor.MainLoop);
            reactor.CallFromThread(() => pending.Callback(1));
            return awaiting;
        }).Within();

        Assert.Equal(resumeOnLoop, resumedOnLoop);

        static async Task<bool> ResumedOnLoop(Deferred<int> deferred, EventLoop loop)
        {
            await deferred;
            return loop.IsLoopThread;
        }
    }

    [Fact]
    public async Task AsyncEnumerableBridges_RoundTrip()
    {
        var items = new List<int>();
        await foreach (var i in Observable.Range(1, 5).ToAsyncEnumerable())
        {
            items.Add(i);
        }

        Assert.Equal([1, 2, 3, 4, 5], items);
        var back = await Numbers().ToObservable().ToList();
        Assert.Equal([1, 2, 3], back);

        static async IAsyncEnumerable<int> Numbers()
        {
            for (var i = 1; i <= 3; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }
    }

    [Fact]
    public async Task ToAsyncEnumerable_FailsClearly_WhenAHotStreamOutrunsItsBuffer()
    {
        var enumerator = Observable.Range(1, 100).ToAsyncEnumerable(capacity: 10).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<ReactorException>(async () =>
        {
            while (await enumerator.MoveNextAsync())
            {
            }
        });
        Assert.Contains("fell more than 10 items behind", error.Message);
    }
}
