using System.Net;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Factories;

public class ReconnectingClientFactoryTests
{
    [Fact]
    public void TwistedsDefaults()
    {
        var factory = new ReconnectingClientFactory(() => null);
        Assert.Equal(TimeSpan.FromSeconds(1), factory.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(3600), factory.MaxDelay);
        Assert.Equal(Math.E, factory.Factor);
        Assert.Equal(0.119626565582, factory.Jitter);
        Assert.Null(factory.MaxRetries);
    }

    [Fact]
    public void WithoutJitter_DelaysGrowByTheFactor_UpToTheCap_OnVirtualTime()
    {
        var clock = new TestScheduler();
        var connector = new FakeConnector();
        var factory = new ReconnectingClientFactory(() => null)
        {
            Clock = clock,
            Jitter = 0,
            Factor = 2,
            InitialDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(10),
        };

        var attemptTimes = new List<double>();
        connector.OnConnect = () =>
        {
            attemptTimes.Add(clock.Now.Ticks / (double)TimeSpan.TicksPerSecond);
            factory.ClientConnectionFailed(connector, new ConnectionRefusedException("refused"));
        };
        factory.ClientConnectionFailed(connector, new ConnectionRefusedException("refused"));
        clock.AdvanceBy(TimeSpan.FromSeconds(2 + 4 + 8 + 10 + 10));

        Assert.Equal([2, 4, 8, 10, 10], factory.DelayHistory.Take(5).Select(d => d.TotalSeconds));
        Assert.Equal([2, 6, 14, 24, 34], attemptTimes);
    }

    [Fact]
    public void Jitter_SpreadsTheDelaysAroundTheBackoffCurve()
    {
        var clock = new TestScheduler();
        var connector = new FakeConnector();
        var factory = new ReconnectingClientFactory(() => null, new Random(42)) { Clock = clock, Factor = 2 };
        for (var i = 0; i < 200; i++)
        {
            factory.ResetDelay();
            factory.Retry(connector);
        }

        var first = factory.DelayHistory.Select(d => d.TotalSeconds).ToArray();
        Assert.InRange(first.Average(), 1.9, 2.1);
        Assert.True(first.Distinct().Count() > 150, "jitter should make nearly every delay different");
        Assert.All(first, d => Assert.InRange(d, 2 * (1 - 6 * 0.1197), 2 * (1 + 6 * 0.1197)));
    }

    [Fact]
    public void MaxRetries_StopsRetrying_AndStopTryingCancelsThePendingAttempt()
    {
        var clock = new TestScheduler();
        var connector = new FakeConnector();
        var attempts = 0;
        var factory = new ReconnectingClientFactory(() => null) { Clock = clock, Jitter = 0, MaxRetries = 3 };
        connector.OnConnect = () =>
        {
            attempts++;
            factory.ClientConnectionFailed(connector, new ConnectionRefusedException("refused"));
        };
        factory.ClientConnectionLost(connector, new ConnectionLostException("lost"));
        clock.AdvanceBy(TimeSpan.FromHours(10));
        Assert.Equal(3, attempts);
        Assert.False(factory.ContinueTrying);

        var second = new ReconnectingClientFactory(() => null) { Clock = clock, Jitter = 0 };
        var secondConnector = new FakeConnector();
        var secondAttempts = 0;
        secondConnector.OnConnect = () => secondAttempts++;
        second.ClientConnectionLost(secondConnector, new ConnectionLostException("lost"));
        Assert.Equal(1, clock.PendingCount);
        second.StopTrying();
        clock.AdvanceBy(TimeSpan.FromHours(1));
        Assert.Equal(0, secondAttempts);
        Assert.Equal(0, clock.PendingCount);
    }

    [Fact]
    public async Task AgainstRealSockets_ItReconnectsAfterTheServerComesBack()
    {
        await using var fixture = new ReactorFixture();
        var reactor = fixture.Reactor;
        var port = ReactorFixture.FreePort();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 0;
        var factory = new CountingReconnectingFactory(() =>
        {
            var p = new RecordingProtocol();
            p.Made.Task.ContinueWith(_ => connected.TrySetResult(), TaskScheduler.Default);
            return p;
        })
        {
            InitialDelay = TimeSpan.FromMilliseconds(20),
            MaxDelay = TimeSpan.FromMilliseconds(100),
        };
        factory.FailedOnce = () => Interlocked.Increment(ref failures);
        var firstFailure = factory.FirstFailure.Task;

        reactor.ConnectTcp("127.0.0.1", port, factory);
        await firstFailure.Within();
        var listening = reactor.ListenTcp(port, new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol()));
        await connected.Task.Within();

        Assert.True(failures >= 1);
        await listening.StopListening().ToTask().Within();
        await reactor.MainLoop.InvokeAsync(factory.StopTrying).Within();
    }

    private sealed class CountingReconnectingFactory(Func<IProtocol?> build) : ReconnectingClientFactory(build)
    {
        public Action? FailedOnce { get; set; }

        public TaskCompletionSource FirstFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void ClientConnectionFailed(IConnector connector, Exception reason)
        {
            Assert.IsType<ConnectionRefusedException>(reason);
            FailedOnce?.Invoke();
            FirstFailure.TrySetResult();
            base.ClientConnectionFailed(connector, reason);
        }
    }

    private sealed class FakeConnector : IConnector
    {
        public Action? OnConnect { get; set; }

        public EndPoint Destination { get; } = new IPEndPoint(IPAddress.Loopback, 1);

        public EventLoop Loop { get; } = new("fake");

        public ConnectorState State => ConnectorState.Disconnected;

        public void Connect() => OnConnect?.Invoke();

        public void Disconnect()
        {
        }

        public void StopConnecting()
        {
        }
    }
}
