using Microsoft.Extensions.Logging;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Loop;

/// <summary>
/// Another thread borrowing an idle loop's turn: it runs one piece of loop work and the end-of-turn flush itself,
/// without waking the loop, and never at the same time as the loop.
/// </summary>
[Trait("Category", "Unit")]
public class EventLoopBorrowingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnIdleLoop_IsBorrowed_TheWorkAndItsEndOfTurnRunOnTheCallersThread_AsTheLoop_WithoutWakingIt(bool nativePolling)
    {
        using var loop = await ParkedLoop(nativePolling);
        var wakeUps = loop.WakeUps;
        var callerContext = SynchronizationContext.Current;
        var caller = Environment.CurrentManagedThreadId;
        (bool AsLoop, int Thread, bool LoopContext)? seen = null;
        var endOfTurnRan = false;

        var ran = loop.TryRunWhileIdle(_ =>
        {
            seen = (loop.IsLoopThread && EventLoop.Current == loop, Environment.CurrentManagedThreadId, SynchronizationContext.Current == loop.SynchronizationContext);
            loop.RunAtEndOfTurn(() => endOfTurnRan = true);
        }, null);

        Assert.True(ran);
        Assert.Equal((true, caller, true), seen);
        Assert.True(endOfTurnRan);
        Assert.Equal(wakeUps, loop.WakeUps);
        Assert.Equal(1, loop.BorrowedTurns);
        Assert.False(loop.IsLoopThread);
        Assert.Null(EventLoop.Current);
        Assert.Same(callerContext, SynchronizationContext.Current);
        Assert.True(loop.IsParked);
    }

    [Fact]
    public async Task ABusyLoop_IsNotBorrowed()
    {
        using var loop = await ParkedLoop();
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        loop.CallFromThread(() =>
        {
            entered.Set();
            release.Wait();
        });
        entered.Wait(Guard.Timeout);

        var ran = false;
        Assert.False(loop.TryRunWhileIdle(_ => ran = true, null));

        release.Set();
        await loop.InvokeAsync(() => { }).Within();
        Assert.False(ran);
        Assert.Equal(0, loop.BorrowedTurns);
    }

    [Fact]
    public async Task ACallerOnALoopThread_DoesNotBorrowAnotherLoop()
    {
        using var idle = await ParkedLoop();
        using var other = new EventLoop("other");
        other.Start();

        var borrowed = await other.InvokeAsync(() => idle.TryRunWhileIdle(_ => { }, null)).Within();

        Assert.False(borrowed);
    }

    [Fact]
    public async Task TheLoopWokenDuringABorrowedTurn_WaitsForItsEnd_AndNoOtherThreadBorrowsMeanwhile()
    {
        using var loop = await ParkedLoop();
        var inside = false;
        var sawInside = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondBorrower = true;

        Assert.True(loop.TryRunWhileIdle(_ =>
        {
            inside = true;
            loop.CallFromThread(() => sawInside.SetResult(inside));

            // The post woke the loop; it must now wait for this turn rather than run the post beside it.
            Guard.Until(() => loop.AwaitsBorrower, "the loop waits for the borrowed turn");
            secondBorrower = Task.Run(() => loop.TryRunWhileIdle(_ => { }, null)).Result;
            inside = false;
        }, null));

        Assert.False(await sawInside.Task.Within());
        Assert.False(secondBorrower);
        Assert.Equal(1, loop.BorrowedTurns);
    }

    [Fact]
    public async Task ATimerAddedInABorrowedTurn_WakesTheLoopParkedWithoutOne()
    {
        using var loop = await ParkedLoop();
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.True(loop.TryRunWhileIdle(_ => loop.CallLater(TimeSpan.FromMilliseconds(1), fired.SetResult), null));

        await fired.Task.Within();
    }

    [Fact]
    public async Task AThrowingBorrowedTurn_IsContained_ItsEndOfTurnStillRuns_AndTheLoopCarriesOn()
    {
        var logger = new ErrorCountingLogger();
        using var loop = await ParkedLoop(logger: logger);
        var callerContext = SynchronizationContext.Current;
        var endOfTurnRan = false;

        Assert.True(loop.TryRunWhileIdle(_ =>
        {
            loop.RunAtEndOfTurn(() => endOfTurnRan = true);
            throw new InvalidOperationException("boom");
        }, null));

        Assert.True(endOfTurnRan);
        Assert.Equal(1, logger.Errors);
        Assert.Null(EventLoop.Current);
        Assert.Same(callerContext, SynchronizationContext.Current);
        Assert.True(await loop.InvokeAsync(() => loop.IsLoopThread).Within());
        Guard.Until(() => loop.IsParked, "the loop parks again");
        Assert.True(loop.TryRunWhileIdle(_ => { }, null));
    }

    [Fact]
    public async Task StoppingTheLoopDuringABorrowedTurn_WaitsForIt_AndTheStoppedLoopIsNeverBorrowed()
    {
        var loop = await ParkedLoop();
        Task? stopping = null;

        Assert.True(loop.TryRunWhileIdle(_ =>
        {
            stopping = Task.Run(loop.Stop);
            Guard.Until(() => loop.AwaitsBorrower, "the stopping loop waits for the borrowed turn");
        }, null));
        await stopping!.Within();

        Assert.False(loop.IsRunning);
        Assert.False(loop.TryRunWhileIdle(_ => { }, null));
    }

    private static async Task<EventLoop> ParkedLoop(bool nativePolling = true, ILogger? logger = null)
    {
        var loop = new EventLoop("borrowed", logger: logger, nativePolling: nativePolling);
        loop.Start();
        await loop.InvokeAsync(() => { }).Within();
        Guard.Until(() => loop.IsParked, "the loop parks");
        return loop;
    }

    private sealed class ErrorCountingLogger : ILogger
    {
        private int _errors;

        public int Errors => Volatile.Read(ref _errors);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }
}
