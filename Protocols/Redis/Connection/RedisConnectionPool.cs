namespace ReactiveKv.Redis;

/// <summary>
/// Dedicated connections for blocking commands and WATCH, so they never stall the shared connection. Bounded:
/// at most <see cref="RedisOptions.MaxDedicatedConnections"/>; past that, leases wait (bounded by their timeout).
/// </summary>
internal sealed class RedisConnectionPool : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly RedisOptions _options;
    private readonly SentinelResolver? _sentinel;
    private readonly Stack<RedisMultiplexer> _idle = new();
    private readonly Queue<Deferred<RedisMultiplexer>> _waiters = new();
    private readonly object _gate = new();
    private int _open;
    private bool _disposed;

    public RedisConnectionPool(Reactor reactor, RedisOptions options, SentinelResolver? sentinel = null)
    {
        _reactor = reactor;
        _sentinel = sentinel;
        _options = options with { MaxInFlight = 1 << 20 };
    }

    /// <summary>Attached to every command run on a lease (the client cache forgets the keys a write names).</summary>
    public Action<RedisCommand>? Replied { get; init; }

    public async Task<RedisLease> LeaseAsync(int database, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Deferred<RedisMultiplexer> waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle))
            {
                return new RedisLease(this, idle, database);
            }

            if (_open < _options.MaxDedicatedConnections)
            {
                _open++;
                waiter = Deferred.Succeed(new RedisMultiplexer(_reactor, _options, sentinel: _sentinel));
            }
            else
            {
                waiter = new Deferred<RedisMultiplexer>();
                _waiters.Enqueue(waiter);
            }
        }

        var connection = await waiter.AddTimeout(_options.OperationTimeout, _reactor.Clock).WithCancellation(cancellationToken);
        return new RedisLease(this, connection, database);
    }

    public async Task ReturnAsync(RedisLease lease)
    {
        if (lease.Poisoned || _disposed)
        {
            await lease.Connection.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _open--;
                if (_waiters.TryDequeue(out var waiter) && !_disposed)
                {
                    _open++;
                    waiter.TryCallback(new RedisMultiplexer(_reactor, _options, sentinel: _sentinel));
                }
            }

            return;
        }

        await lease.Unwatch();
        lock (_gate)
        {
            while (_waiters.TryDequeue(out var waiter))
            {
                if (waiter.TryCallback(lease.Connection))
                {
                    return;
                }
            }

            _idle.Push(lease.Connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        RedisMultiplexer[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var connection in idle)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
