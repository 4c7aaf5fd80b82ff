using System.Reactive.Concurrency;

namespace ReactiveKv;

/// <summary>
/// A client factory that reconnects with exponential backoff and jitter (Twisted's <c>ReconnectingClientFactory</c>,
/// same defaults). Call <see cref="ResetDelay"/> once a connection proves good, and <see cref="StopTrying"/> to give up.
/// </summary>
public class ReconnectingClientFactory : ClientFactory
{
    private readonly Random _random;
    private IDelayedCall? _pendingCall;
    private IConnector? _connector;

    /// <summary>Creates the factory over <paramref name="build"/>; <paramref name="random"/> seeds the jitter (tests pass a fixed seed).</summary>
    public ReconnectingClientFactory(Func<IProtocol?> build, Random? random = null)
        : base(build)
    {
        _random = random ?? Random.Shared;
    }

    /// <summary>For subclasses that override <see cref="Factory.BuildProtocol"/>.</summary>
    protected ReconnectingClientFactory(Random? random = null)
    {
        _random = random ?? Random.Shared;
    }

    /// <summary>Delay before the first retry (Twisted: 1 s).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay (Twisted: 3600 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Growth per retry (Twisted: e).</summary>
    public double Factor { get; init; } = Math.E;

    /// <summary>Standard deviation of the delay as a fraction of it (Twisted: 0.119626565582).</summary>
    public double Jitter { get; init; } = 0.119626565582;

    /// <summary>Retries before giving up; null retries for ever.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The clock the retries are scheduled on; null uses the connector's loop.</summary>
    public IScheduler? Clock { get; init; }

    /// <summary>The delay the next retry will grow from (<see cref="InitialDelay"/> until the first retry).</summary>
    public TimeSpan CurrentDelay
    {
        get => _currentDelay ?? InitialDelay;
        private set => _currentDelay = value;
    }

    // Null until the first retry, so an InitialDelay set in an object initializer (after the constructor) counts.
    private TimeSpan? _currentDelay;

    /// <summary>Retries made since the last <see cref="ResetDelay"/>.</summary>
    public int Retries { get; private set; }

    /// <summary>False after <see cref="StopTrying"/>.</summary>
    public bool ContinueTrying { get; private set; } = true;

    /// <summary>The delays used so far, newest last; for logs and tests.</summary>
    public IReadOnlyList<TimeSpan> DelayHistory => _history;

    private readonly List<TimeSpan> _history = [];

    /// <inheritdoc />
    public override void ClientConnectionFailed(IConnector connector, Exception reason)
    {
        if (ContinueTrying)
        {
            _connector = connector;
            Retry(connector);
        }
    }

    /// <inheritdoc />
    public override void ClientConnectionLost(IConnector connector, Exception reason)
    {
        if (ContinueTrying)
        {
            _connector = connector;
            Retry(connector);
        }
    }

    /// <summary>Schedules the next attempt: the delay grows by <see cref="Factor"/>, is capped, then jittered.</summary>
    public void Retry(IConnector connector)
    {
        if (!ContinueTrying)
        {
            return;
        }

        Retries++;
        if (MaxRetries is { } max && Retries > max)
        {
            ContinueTrying = false;
            return;
        }

        var seconds = Math.Min(CurrentDelay.TotalSeconds * Factor, MaxDelay.TotalSeconds);
        if (Jitter > 0)
        {
            seconds = NormalSample(seconds, seconds * Jitter);
        }

        seconds = Math.Max(0, seconds);
        CurrentDelay = TimeSpan.FromSeconds(seconds);
        _history.Add(CurrentDelay);
        _pendingCall = (Clock ?? connector.Loop).CallLater(CurrentDelay, () =>
        {
            _pendingCall = null;
            connector.Connect();
        });
    }

    /// <summary>Back to the initial delay; call after a connection has proved good.</summary>
    public void ResetDelay()
    {
        _currentDelay = null;
        Retries = 0;
        ContinueTrying = true;
    }

    /// <summary>Stops retrying, cancels a scheduled attempt and stops one in progress.</summary>
    public void StopTrying()
    {
        ContinueTrying = false;
        if (_pendingCall is { Active: true } call)
        {
            call.Cancel();
        }

        _pendingCall = null;
        if (_connector is { State: ConnectorState.Connecting } connector)
        {
            connector.StopConnecting();
        }
    }

    private double NormalSample(double mean, double deviation)
    {
        // Box-Muller: Random has no normal distribution, and Twisted draws from one.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + deviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
