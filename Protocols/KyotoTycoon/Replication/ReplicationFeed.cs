using System.Reactive.Disposables;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One replication subscription: connects a <see cref="ReplicationSlave"/>, reconnects with the reactor's backoff
/// after a drop, and resumes from the last timestamp it saw (dummy records advance it too).
/// </summary>
internal sealed class ReplicationFeed : IDisposable
{
    private readonly IObserver<ReplicationRecord> _observer;
    private readonly ReconnectingClientFactory _factory;
    private readonly IConnector _connector;
    private long _last;
    private int _done;

    public ReplicationFeed(Reactor reactor, KtOptions options, ulong fromTimestamp, ushort serverId, bool whiteSid, IObserver<ReplicationRecord> observer)
    {
        _observer = observer;
        _last = (long)fromTimestamp;
        ServerId = serverId;
        WhiteSid = whiteSid;
        _factory = new ReconnectingClientFactory(() => new ReplicationSlave(this))
        {
            InitialDelay = options.Reconnect.InitialDelay,
            MaxDelay = options.Reconnect.MaxDelay,
            Factor = options.Reconnect.Factor,
            Jitter = options.Reconnect.Jitter,
            MaxRetries = options.Reconnect.MaxRetries,
        };
        _connector = reactor.ConnectTcp(options.Host, options.Port, _factory, options.ConnectTimeout);
    }

    public ulong LastTimestamp => (ulong)Interlocked.Read(ref _last);

    public ushort ServerId { get; }

    public bool WhiteSid { get; }

    public void Connected() => _factory.ResetDelay();

    public void Received(ulong timestamp, byte[] message)
    {
        if (Volatile.Read(ref _done) != 0)
        {
            return;
        }

        if (message.Length > 0 && ReplicationCodec.Decode(timestamp, message) is { } record)
        {
            _observer.OnNext(record);
        }

        Interlocked.Exchange(ref _last, (long)timestamp);
    }

    public void Refused(Exception error) => Finish(error);

    public void Malformed(Exception error) => Finish(error);

    public void Lost(Exception reason)
    {
        // The reconnecting factory retries from LastTimestamp; nothing to tell subscribers.
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _factory.StopTrying();
            _connector.Disconnect();
        }
    }

    private void Finish(Exception error)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _factory.StopTrying();
            _observer.OnError(error);
        }
    }
}
