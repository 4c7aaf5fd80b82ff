using System.Reactive;
using System.Reactive.Linq;
using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Loop;

public class LoopingCallTests
{
    private readonly TestScheduler _clock = new();

    [Fact]
    public void StartNow_CallsAtOnceThenEveryInterval()
    {
        var times = new List<long>();
        var loop = LoopingCall.Create(_clock, () => times.Add(_clock.Now.Ticks / TimeSpan.TicksPerSecond));
        loop.Start(TimeSpan.FromSeconds(2));
        _clock.AdvanceBy(TimeSpan.FromSeconds(7));

        Assert.Equal([0, 2, 4, 6], times);
    }

    [Fact]
    public void StartLater_WaitsOneIntervalFirst()
    {
        var times = new List<long>();
        var loop = LoopingCall.Create(_clock, () => times.Add(_clock.Now.Ticks / TimeSpan.TicksPerSecond));
        loop.Start(TimeSpan.FromSeconds(3), now: false);
        _clock.AdvanceBy(TimeSpan.FromSeconds(7));

        Assert.Equal([3, 6], times);
    }

    [Fact]
    public void SlowWork_SkipsMissedBeats_AndCountsThem()
    {
        var counts = new List<long>();
        var loop = new LoopingCall(_clock, count =>
        {
            counts.Add(count);

            // The first run takes 3.5 intervals (its result fires 3.5 s later): beats at 1, 2, 3 are missed.
            return counts.Count == 1 ? Observable.Timer(TimeSpan.FromSeconds(3.5), _clock).Select(_ => Unit.Default) : null;
        });
        loop.Start(TimeSpan.FromSeconds(1));
        _clock.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal([1, 4, 1], counts);
        Assert.Equal(3, loop.CallCount);
        Assert.Equal(3, loop.SkippedBeats);
    }

    [Fact]
    public void Stop_FiresTheStartResult_AndNoMoreCalls()
    {
        var calls = 0;
        var loop = LoopingCall.Create(_clock, () => calls++);
        var done = loop.Start(TimeSpan.FromSeconds(1));
        _clock.AdvanceBy(TimeSpan.FromSeconds(2));
        loop.Stop();
        _clock.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal(3, calls);
        Assert.True(done.Called);
        Assert.False(done.IsFaulted);
        Assert.False(loop.Running);
    }

    [Fact]
    public void AFailingCall_StopsTheLoop_AndFailsTheStartResult()
    {
        var calls = 0;
        var loop = LoopingCall.Create(_clock, () =>
        {
            if (++calls == 2)
            {
                throw new InvalidOperationException("second call fails");
            }
        });
        var done = loop.Start(TimeSpan.FromSeconds(1));
        _clock.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal(2, calls);
        Assert.True(done.IsFaulted);
        var error = Assert.Throws<InvalidOperationException>(() => done.GetResult());
        Assert.Equal("second call fails", error.Message);
    }
}
