using System.Reactive.Linq;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Loop;

public class EventLoopTests
{
    [Fact]
    public async Task CallFromThread_RunsInFifoOrderOnTheLoopThread()
    {
        using var loop = new EventLoop("fifo");
        loop.Start();
        var seen = new List<int>();
        var threads = new HashSet<bool>();
        var posters = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var value = t * 1000 + i;
                loop.CallFromThread(() =>
                {
                    threads.Add(loop.IsLoopThread);
                    seen.Add(value);
                });
            }
        })).ToArray();
        await Task.WhenAll(posters).Within();
        var snapshot = await loop.InvokeAsync(() => seen.ToList()).Within();

        Assert.Equal(4000, snapshot.Count);
        Assert.Equal([true], threads);
        for (var t = 0; t < 4; t++)
        {
            var fromThread = snapshot.Where(v => v / 1000 == t).ToList();
            Assert.Equal(Enumerable.Range(t * 1000, 1000), fromThread);
        }
    }

    [Fact]
    public async Task CallLater_OnRealClock_FiresInDueOrder_NeverBeforeItsDueTime()
    {
        using var loop = new EventLoop("timers");
        loop.Start();
        var fired = new List<(int Id, DateTimeOffset At)>();
        var done = new TaskCompletionSource();
        IDelayedCall[] calls = [];
        await loop.InvokeAsync(() =>
        {
            void Fired(int id)
            {
                fired.Add((id, loop.Now));
                if (fired.Count == 3)
                {
                    done.SetResult();
                }
            }

            // Scheduled in reverse and far apart: due times are read from the real clock one call after another, and
            // the spacing keeps a loaded machine's stall between two of these lines from reordering them.
            var third = loop.CallLater(TimeSpan.FromMilliseconds(400), () => Fired(3));
            var second = loop.CallLater(TimeSpan.FromMilliseconds(200), () => Fired(2));
            // 1 ms, not zero: a zero delay is a post, not a timer, and a stall past 200 ms would let the 200 ms timer
            // run in the same turn ahead of it; timers among themselves fire in due order.
            var first = loop.CallLater(TimeSpan.FromMilliseconds(1), () => Fired(1));
            calls = [first, second, third];
            var cancelled = loop.CallLater(TimeSpan.FromMilliseconds(5), () => fired.Add((99, loop.Now)));
            cancelled.Cancel();
        });
        await done.Task.Within();

        Assert.Equal([1, 2, 3], fired.Select(f => f.Id));
        Assert.All(fired, f => Assert.True(f.At >= calls[f.Id - 1].DueTime.AddMilliseconds(-1), $"call {f.Id} fired at {f.At:O}, due {calls[f.Id - 1].DueTime:O}"));
    }

    [Fact]
    public async Task VirtualClock_DrivesTheLoopsTimers()
    {
        var clock = new TestScheduler();
        using var loop = new EventLoop("virtual", clock);
        loop.Start();
        var fired = 0;
        await loop.InvokeAsync(() => loop.CallLater(TimeSpan.FromSeconds(10), () => fired++));

        clock.AdvanceBy(TimeSpan.FromSeconds(9.999));
        Assert.Equal(0, await loop.InvokeAsync(() => fired));
        clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await loop.InvokeAsync(() => fired));
    }

    [Fact]
    public async Task RxOperators_UseTheLoopAsScheduler_AndRunOnItsThread()
    {
        using var loop = new EventLoop("rx");
        loop.Start();
        var onLoop = await Observable.Timer(TimeSpan.FromMilliseconds(1), loop)
            .Select(_ => loop.IsLoopThread)
            .FirstAsync();
        Assert.True(onLoop);
    }

    [Fact]
    public async Task AnExceptionInACallback_DoesNotKillTheLoop()
    {
        using var loop = new EventLoop("errors");
        loop.Start();
        loop.CallFromThread(() => throw new InvalidOperationException("boom"));
        Assert.Equal(42, await loop.InvokeAsync(() => 42).Within());
    }

    [Fact]
    public async Task RunAtEndOfTurn_RunsAfterTheTurnsWork()
    {
        using var loop = new EventLoop("turn");
        loop.Start();
        var order = await loop.InvokeAsync(() =>
        {
            var list = new List<string>();
            loop.RunAtEndOfTurn(() => list.Add("end"));
            list.Add("work");
            return list;
        });
        await loop.InvokeAsync(() => { });
        Assert.Equal(["work", "end"], order);
    }

    [Fact]
    public void LoopOnlyCalls_FromAnotherThread_Throw()
    {
        using var loop = new EventLoop("wrong-thread");
        Assert.Throws<WrongThreadException>(() => loop.RunAtEndOfTurn(() => { }));
    }

    [Fact]
    public async Task AnAwaitThatBeganOnALoop_StillFinishes_WhenTheLoopStoppedMeanwhile()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = reactor.MainLoop.InvokeAsync(async () =>
        {
            await release.Task;
            return EventLoop.Current;
        }).Unwrap();

        await reactor.StopAsync().Within();
        release.SetResult();

        Assert.Null(await finished.Within());
    }

    [Fact]
    public async Task DisposingTheReactor_FromCodeRunningOnItsOwnLoop_Completes()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();

        var disposed = reactor.MainLoop.InvokeAsync(async () => await reactor.DisposeAsync()).Unwrap();

        await disposed.Within();
        Assert.False(reactor.IsRunning);
    }
}
