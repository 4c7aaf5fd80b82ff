using System.Runtime.CompilerServices;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Loop;

/// <summary>
/// A cancelled delayed call waits in the loop's timer queue until its due time (removal there is lazy); what it would
/// have run must not be kept alive that long. Found by the server fuzzer: every closed connection's cancelled 5-minute
/// idle timer held the connection, 46 MiB after 20,000 connections.
/// </summary>
public class CancelledTimerRetentionTests
{
    [Fact]
    public async Task ACancelledCallLater_LetsGoOfItsActionAtOnce()
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        var loop = reactor.Loops[0];

        var held = await loop.InvokeAsync(() => ScheduleAndCancel(loop)).Within();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(held.TryGetTarget(out _), "the cancelled call still holds its closure");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<byte[]> ScheduleAndCancel(EventLoop loop)
    {
        var big = new byte[1 << 20];
        var call = loop.CallLater(TimeSpan.FromMinutes(5), () => GC.KeepAlive(big));
        call.Cancel();
        return new WeakReference<byte[]>(big);
    }

    [Fact]
    public async Task CancelledLongTimers_DoNotPileUpInTheTimerQueue_AndTheLiveOnesStillFire()
    {
        // A Pegasus soak: scanner contexts re-armed on every batch left 630,000 cancelled 5-minute timers (50 MiB).
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        var loop = reactor.Loops[0];
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queuedAfter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        await loop.InvokeAsync(() =>
        {
            var live = loop.CallLater(TimeSpan.FromMilliseconds(1), fired.SetResult);
            var later = loop.CallLater(TimeSpan.FromMinutes(5), () => { });
            for (var i = 0; i < 100_000; i++)
            {
                loop.CallLater(TimeSpan.FromMinutes(5), () => { }).Cancel();
            }

            // Due at once: it runs in the next timer pass, which compacts the queue first.
            loop.CallLater(TimeSpan.Zero, () => queuedAfter.SetResult(loop.QueuedTimers));
        }).Within();

        Assert.True(await queuedAfter.Task.Within() < 1024, "the cancelled timers are still queued");
        await fired.Task.Within();
    }
}
