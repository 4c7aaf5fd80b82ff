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
}
