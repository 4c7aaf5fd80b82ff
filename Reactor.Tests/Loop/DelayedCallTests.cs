using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Loop;

public class DelayedCallTests
{
    private readonly TestScheduler _clock = new();

    [Fact]
    public void Fires_AtItsDueTime_NotBefore()
    {
        var fired = false;
        var call = _clock.CallLater(TimeSpan.FromSeconds(5), () => fired = true);

        Assert.Equal(new DateTimeOffset(TimeSpan.FromSeconds(5).Ticks, TimeSpan.Zero), call.DueTime);
        _clock.AdvanceBy(TimeSpan.FromSeconds(4));
        Assert.False(fired);
        Assert.True(call.Active);
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.True(fired);
        Assert.False(call.Active);
    }

    [Fact]
    public void Cancel_StopsIt_AndTooLateCancelsThrow()
    {
        var fired = false;
        var call = _clock.CallLater(TimeSpan.FromSeconds(1), () => fired = true);
        call.Cancel();
        _clock.AdvanceBy(TimeSpan.FromSeconds(2));

        Assert.False(fired);
        Assert.Throws<AlreadyCancelledException>(call.Cancel);

        var ran = _clock.CallLater(TimeSpan.FromSeconds(1), () => { });
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Throws<AlreadyCalledException>(ran.Cancel);
        Assert.Throws<AlreadyCalledException>(() => ran.Reset(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Reset_MovesTheDueTimeFromNow_ForIdleTimeouts()
    {
        var fired = 0;
        var call = _clock.CallLater(TimeSpan.FromSeconds(10), () => fired++);
        for (var i = 0; i < 5; i++)
        {
            _clock.AdvanceBy(TimeSpan.FromSeconds(9));
            call.Reset(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, fired);
        _clock.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(1, fired);
        Assert.Equal(0, _clock.PendingCount);
    }

    [Fact]
    public void Delay_PushesItLater()
    {
        var fired = false;
        var call = _clock.CallLater(TimeSpan.FromSeconds(2), () => fired = true);
        call.Delay(TimeSpan.FromSeconds(3));
        _clock.AdvanceBy(TimeSpan.FromSeconds(4));
        Assert.False(fired);
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.True(fired);
    }
}
