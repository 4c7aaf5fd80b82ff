using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Loop;

/// <summary>The poller a loop sleeps in where it has no epoll: a wait handle that posters set.</summary>
public class WaitHandlePollerTests
{
    [Fact]
    [Trait("Category", "Unit")]
    public async Task AWakeBeforeTheWait_IsNotLost()
    {
        using var poller = new WaitHandlePoller();

        poller.Wake();

        await Task.Run(() => poller.Poll(Timeout.Infinite)).Within();
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task AWakeFromAnotherThread_EndsAnEndlessWait()
    {
        using var poller = new WaitHandlePoller();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = Task.Run(() =>
        {
            started.SetResult();
            poller.Poll(Timeout.Infinite);
        });
        await started.Task.Within();

        poller.Wake();

        await waiting.Within();
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void ItWatchesNoSockets()
    {
        using var poller = new WaitHandlePoller();

        Assert.False(poller.CanRegisterSockets);
        Assert.Throws<NotSupportedException>(() => poller.Register(3, EpollNative.In, new NoHandler()));
    }

    [Fact]
    public async Task ALoopWithoutNativePolling_SleepsInTheWaitHandle_AndWakesForPostedWork()
    {
        using var loop = new EventLoop("wait-handle", nativePolling: false);
        loop.Start();

        // Posted from another thread while the loop sleeps with nothing to do: only the wait handle can wake it.
        var onLoop = await Task.Run(() => loop.InvokeAsync(() => loop.IsLoopThread)).Within();

        Assert.True(onLoop);
        Assert.IsType<WaitHandlePoller>(loop.Poller);
        Assert.False(loop.UsesNativePolling);
    }

    [Fact]
    public async Task ALoopWithNativePolling_SleepsInEpoll_OnLinux()
    {
        using var loop = new EventLoop("epoll", nativePolling: true);
        loop.Start();

        Assert.True(await Task.Run(() => loop.InvokeAsync(() => loop.IsLoopThread)).Within());
        var epollExpected = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("REACTIVEKV_NATIVE_POLLING") is not ("0" or "false");
        Assert.Equal(epollExpected, loop.Poller is EpollPoller);
        Assert.Equal(epollExpected, loop.UsesNativePolling);
    }

    private sealed class NoHandler : IReadinessHandler
    {
        public void OnReadiness(uint events)
        {
        }
    }
}
