using System.Reactive.Linq;
using System.Reactive.Subjects;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Deferreds;

/// <summary>
/// Code outside the reactor that awaits a library observable through Rx's own awaiter (<c>await o.Select(...)</c>,
/// <c>await o.ToList()</c>) must not be moved onto the loop that produced the result.
/// </summary>
public class RxAwaiterTests
{
    public static TheoryData<string> Shapes => ["select", "tolist", "where-last"];

    [Theory]
    [Trait("Category", "Unit")]
    [MemberData(nameof(Shapes))]
    public async Task AThreadPoolCaller_AwaitingThroughRxsAwaiter_StaysOffTheLoop(string shape)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        var loop = fixture.Reactor.MainLoop;

        var seen = await Task.Run(() =>
        {
            var pending = new Deferred<int>();

            // The await subscribes before Run's delegate returns; only then is the result fired on the loop.
            var awaiting = AwaitThroughRx(Shape(pending, shape), loop);
            loop.CallFromThread(() => pending.Callback(7));
            return awaiting;
        }).Within();

        Assert.Equal(7, seen.Value);
        Assert.False(seen.OnLoopAfterRx, "the code after the Rx await ran on the loop thread");
        Assert.False(seen.LoopContextAfterRx, "the loop's SynchronizationContext was current after the Rx await");
        Assert.False(seen.OnLoopAfterNextAwait, "a later await resumed on the loop");
        Assert.Null(seen.BlockingError);
        Assert.Equal(8, seen.Blocked);
    }

    [Theory]
    [Trait("Category", "Unit")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnRxAwaitOnTheLoop_ResumesOnTheLoop_WhateverResumeAwaitersOnLoopSays(bool resumeOnLoop)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, ResumeAwaitersOnLoop = resumeOnLoop });
        var loop = fixture.Reactor.MainLoop;
        var pending = new Deferred<int>();
        var resumed = new TaskCompletionSource<(int, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);

        loop.CallFromThread(async () =>
        {
            var value = await pending.Select(v => v + 1);
            resumed.SetResult((value, loop.IsLoopThread));
        });
        loop.CallFromThread(() => pending.Callback(1));

        Assert.Equal((2, true), await resumed.Task.Within());
    }

    [Theory]
    [Trait("Category", "Unit")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AThreadPoolCaller_RxAwait_FollowsResumeAwaitersOnLoop_LikeTheDeferredAwaiter(bool resumeOnLoop)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, ResumeAwaitersOnLoop = resumeOnLoop });
        var loop = fixture.Reactor.MainLoop;
        var pending = new Deferred<int>();

        var onLoop = await Task.Run(() =>
        {
            var awaiting = OnLoopAfter(pending.Select(v => v), loop);
            loop.CallFromThread(() => pending.Callback(1));
            return awaiting;
        }).Within();

        Assert.Equal(resumeOnLoop, onLoop);

        static async Task<bool> OnLoopAfter(IObservable<int> source, EventLoop loop)
        {
            await source;
            return loop.IsLoopThread;
        }
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task ObserveOffLoop_DeliversWhatALoopProduces_OffTheLoop_InOrder()
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        var loop = fixture.Reactor.MainLoop;
        var source = new Subject<int>();
        var seen = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var subscription = source.ObserveOffLoop().Subscribe(
            v => seen.Add(loop.IsLoopThread ? $"{v} on the loop" : $"{v}"),
            done.SetResult);
        loop.CallFromThread(() =>
        {
            for (var i = 1; i <= 100; i++)
            {
                source.OnNext(i);
            }

            source.OnCompleted();
        });
        await done.Task.Within();

        // Delivery is serialised (Rx's contract), so the list needs no lock.
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"{i}"), seen);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task ObserveOffLoop_SubscribedOnALoop_DeliversInlineThere()
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        var loop = fixture.Reactor.MainLoop;
        var source = new Subject<int>();

        var inline = await loop.InvokeAsync(() =>
        {
            var onLoop = false;
            using var subscription = source.ObserveOffLoop().Subscribe(_ => onLoop = loop.IsLoopThread);
            source.OnNext(1);
            return onLoop;
        }).Within();

        Assert.True(inline);
    }

    private static IObservable<int> Shape(Deferred<int> pending, string shape) => shape switch
    {
        "select" => pending.Select(v => v),
        "tolist" => pending.ToList().Select(list => list.Single()),
        _ => pending.Where(v => v > 0).LastAsync(),
    };

    private static async Task<Seen> AwaitThroughRx(IObservable<int> source, EventLoop loop)
    {
        var value = await source;
        var onLoop = loop.IsLoopThread;
        var loopContext = ReferenceEquals(SynchronizationContext.Current, loop.SynchronizationContext);
        Exception? blockingError = null;
        var blocked = 0;
        try
        {
            var other = new Deferred<int>();
            loop.CallFromThread(() => other.Callback(8));
            blocked = other.GetResult(Guard.Timeout);
        }
        catch (BlockingCallOnReactorThreadException e)
        {
            blockingError = e;
        }

        await Task.Yield();
        return new Seen(value, onLoop, loopContext, loop.IsLoopThread, blockingError, blocked);
    }

    private sealed record Seen(int Value, bool OnLoopAfterRx, bool LoopContextAfterRx, bool OnLoopAfterNextAwait, Exception? BlockingError, int Blocked);
}
