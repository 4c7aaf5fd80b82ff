using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace ReactiveKv.Redis;

/// <summary>
/// MONITOR on a connection of its own: MONITOR turns a connection into a feed where every later reply is a monitor
/// line, so it cannot share one. The connection opens with the first subscriber, sends MONITOR again after every
/// reconnect, and closes when the last subscriber leaves. Lines are produced on the connection's loop.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly RedisOptions _options;
    private readonly SentinelResolver? _sentinel;
    private readonly Lock _gate = new();
    private RedisMultiplexer? _connection;
    private bool _disposed;

    public RedisMonitor(Reactor reactor, RedisOptions options, SentinelResolver? sentinel = null)
    {
        _reactor = reactor;

        // The monitor connection only listens: no tracking on it.
        _options = options with { ClientCache = null };
        _sentinel = sentinel;
        Lines = Observable.Create<RedisMonitorLine>(Start).Publish().RefCount().ObserveOffLoop();
    }

    /// <summary>Hot and shared among subscribers.</summary>
    public IObservable<RedisMonitorLine> Lines { get; }

    public async ValueTask DisposeAsync()
    {
        RedisMultiplexer? connection;
        lock (_gate)
        {
            _disposed = true;
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IDisposable Start(IObserver<RedisMonitorLine> observer)
    {
        var connection = new RedisMultiplexer(_reactor, _options, monitor: true, sentinel: _sentinel);
        lock (_gate)
        {
            if (_disposed)
            {
                _ = connection.DisposeAsync().AsTask();
                observer.OnError(new ObjectDisposedException(nameof(RedisClient)));
                return Disposable.Empty;
            }

            _connection = connection;
        }

        connection.PushReceived = (in RawReply line) =>
        {
            if (line.Type == RespType.SimpleString && RedisMonitorParser.TryParse(line.Text(), out var parsed))
            {
                observer.OnNext(parsed!);
            }
        };

        // The first MONITOR waits in the backlog for the first connection, however long that takes (so these hooks
        // need not be in place before it is up); each later connection gets its own from the ready hook.
        Send(connection, observer);
        connection.Ready = first =>
        {
            if (!first)
            {
                Send(connection, observer);
            }
        };
        return Disposable.Create(() =>
        {
            lock (_gate)
            {
                if (ReferenceEquals(_connection, connection))
                {
                    _connection = null;
                }
            }

            _ = connection.DisposeAsync().AsTask();
        });
    }

    private static void Send(RedisMultiplexer connection, IObserver<RedisMonitorLine> observer) =>
        connection.Submit(new RedisCommand<bool>("MONITOR", -1, [], Replies.Ok), Timeout.InfiniteTimeSpan).Subscribe(
            static _ => { },
            e =>
            {
                // The server refused (an ACL without MONITOR): retrying cannot help. A loss is retried by the reconnect.
                if (e is RedisReplyException)
                {
                    observer.OnError(e);
                }
            });
}
