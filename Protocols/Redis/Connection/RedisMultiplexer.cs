using System.Collections.Concurrent;
using System.Reactive;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.Redis;

/// <summary>
/// One logical connection shared by every caller (StackExchange.Redis's multiplexer, on the reactor): commands are
/// written at once in call order and answered in that order. It reconnects with backoff; commands not yet written
/// wait in a bounded backlog and go out after the reconnect, commands already written fail with
/// <see cref="RedisConnectionException"/> saying they may have executed. Every command has a deadline on the reactor
/// clock. All state lives on one loop thread.
/// </summary>
internal sealed class RedisMultiplexer : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly RedisOptions _options;
    private readonly bool _subscriber;
    private readonly Queue<Entry> _backlog = new();
    private readonly ConcurrentQueue<(Entry Entry, TimeSpan? Timeout)> _incoming = new();
    private readonly Action<object?> _drainIncoming;
    private int _drainScheduled;
    private readonly Queue<(DateTimeOffset Due, RedisCommand Command)> _deadlines = new();
    private readonly ConnectionFactory _factory;
    private readonly IConnector _connector;
    private readonly Deferred<Unit> _firstReady = new();
    private IDelayedCall? _deadlineTimer;
    private RedisProtocol? _ready;
    private Exception? _lastError;
    private bool _disposed;

    public RedisMultiplexer(Reactor reactor, RedisOptions options, bool subscriber = false)
    {
        _reactor = reactor;
        _options = options;
        _subscriber = subscriber;
        _factory = new ConnectionFactory(this)
        {
            InitialDelay = options.ReconnectInitialDelay,
            MaxDelay = options.ReconnectMaxDelay,
            Factor = 2,
        };
        var transport = reactor.Options.Transport with
        {
            KeepAlive = options.KeepAlive,
            MaxBufferedReadBytes = Math.Max(reactor.Options.Transport.MaxBufferedReadBytes, options.Limits.MaxBulkLength + (64 << 10)),
        };
        // The loop is chosen before connecting: the handshake can run on it before the connect call returns.
        Loop = reactor.Loops.Next();
        _drainIncoming = _ => DrainIncoming();
        _connector = options.UnixSocket is { } path
            ? reactor.ConnectUnix(path, _factory, options.ConnectTimeout, transport, Loop)
            : options.UseTls
                ? reactor.ConnectTls(options.Host, options.Port, _factory, TlsOptions(options), options.ConnectTimeout, transport, Loop)
                : reactor.ConnectTcp(options.Host, options.Port, _factory, options.ConnectTimeout, transport, Loop);
    }

    public EventLoop Loop { get; }

    /// <summary>2 or 3 once connected.</summary>
    public int Protocol { get; private set; }

    public bool IsConnected => _ready is { Usable: true };

    /// <summary>Fires when the first handshake completes; fails with the first connect error.</summary>
    public Deferred<Unit> FirstReady => _firstReady;

    /// <summary>Runs on the loop after every successful handshake (first connect and reconnects).</summary>
    public Action<bool>? Ready { get; set; }

    public PushHandler? PushReceived { get; set; }

    /// <summary>Commands whose default deadline is still tracked; answered ones leave as their replies arrive. Loop thread.</summary>
    internal int TrackedDeadlines => _deadlines.Count;

    public string Describe() => _options.UnixSocket ?? $"{_options.Host}:{_options.Port}";

    public Deferred<T> Submit<T>(RedisCommand<T> command, TimeSpan? timeout = null)
    {
        Accept(new Entry(command, null), timeout);
        return command.Result;
    }

    /// <summary>Writes the group back to back, once, with nothing between its commands.</summary>
    public void SubmitGroup(IReadOnlyList<RedisCommand> group, TimeSpan? timeout = null) => Accept(new Entry(null, group), timeout);

    /// <summary>
    /// Commands from other threads go through one concurrent queue drained by a single loop post per burst, so a
    /// thousand pipelined calls cost one hop to the loop, not a thousand.
    /// </summary>
    private void Accept(Entry entry, TimeSpan? timeout)
    {
        if (Loop.IsLoopThread)
        {
            DrainIncoming();
            Enqueue(entry, timeout);
            return;
        }

        _incoming.Enqueue((entry, timeout));
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            Loop.Post(_drainIncoming, null);
        }
    }

    private void DrainIncoming()
    {
        Volatile.Write(ref _drainScheduled, 0);
        while (_incoming.TryDequeue(out var item))
        {
            Enqueue(item.Entry, item.Timeout);
        }
    }

    /// <summary>Sends a command that is answered out of band (subscriber connections); dropped while disconnected.</summary>
    public void SendNoReply(RedisCommand command) => Loop.Execute(() => Usable()?.Send(command));

    public async ValueTask DisposeAsync()
    {
        await Loop.InvokeAsync(() =>
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _factory.StopTrying();
            _connector.Disconnect();
            var error = new RedisConnectionException("The Redis client was disposed.", false);
            while (_backlog.TryDequeue(out var entry))
            {
                entry.Fail(error);
            }

            _firstReady.TryErrback(error);
        }).ConfigureAwait(false);
    }

    private void Enqueue(Entry entry, TimeSpan? timeout)
    {
        if (_disposed)
        {
            entry.Fail(new RedisConnectionException("The Redis client was disposed.", false));
            return;
        }

        if (entry.Single is { } single)
        {
            Track(single, single.Blocking ? timeout : timeout ?? _options.CommandTimeout);
        }
        else
        {
            foreach (var command in entry.Group!)
            {
                Track(command, command.Blocking ? timeout : timeout ?? _options.CommandTimeout);
            }
        }

        if (Usable() is { } connection && _backlog.Count == 0 && connection.InFlight < _options.MaxInFlight)
        {
            entry.SendTo(connection);
        }
        else if (_backlog.Count >= _options.MaxBacklog)
        {
            entry.Fail(new RedisConnectionException($"{_backlog.Count} commands already wait to be sent to {Describe()}; this one was rejected rather than queue without bound.", false, _lastError));
        }
        else
        {
            _backlog.Enqueue(entry);
        }
    }

    private void ReplyConsumed()
    {
        TrimAnswered();
        Drain();
    }

    private void Drain()
    {
        while (Usable() is { } connection && connection.InFlight < _options.MaxInFlight && _backlog.TryDequeue(out var entry))
        {
            if (!entry.Abandoned)
            {
                entry.SendTo(connection);
            }
        }
    }

    /// <summary>The ready connection, unless it has begun closing (then commands wait for the reconnect).</summary>
    private RedisProtocol? Usable()
    {
        if (_ready is { Usable: false })
        {
            _ready = null;
        }

        return _ready;
    }

    private void Track(RedisCommand command, TimeSpan? timeout)
    {
        if (timeout is not { } limit)
        {
            return;
        }

        if (limit != _options.CommandTimeout)
        {
            ExpireLater(command, limit);
            return;
        }

        // Default-timeout commands expire in issue order, so one timer armed for the oldest covers them all.
        _deadlines.Enqueue((Loop.Now + limit, command));
        if (_deadlineTimer is not { Active: true })
        {
            _deadlineTimer = Loop.CallLater(limit, ExpireDue);
        }
    }

    // Its own method: a lambda in Track would make every call allocate the captured variables, timer or not.
    private void ExpireLater(RedisCommand command, TimeSpan limit) => Loop.CallLater(limit, () => Expire(command, limit));

    /// <summary>Replies come in issue order, so answered commands leave the deadline queue from its head as they are answered.</summary>
    private void TrimAnswered()
    {
        while (_deadlines.TryPeek(out var head) && (head.Command.Answered || head.Command.Abandoned))
        {
            _deadlines.Dequeue();
        }
    }

    private void ExpireDue()
    {
        var now = Loop.Now;
        while (_deadlines.TryPeek(out var head) && (head.Command.Abandoned || head.Due <= now))
        {
            _deadlines.Dequeue();
            Expire(head.Command, _options.CommandTimeout);
        }

        if (_deadlines.TryPeek(out var next))
        {
            _deadlineTimer = Loop.CallLater(next.Due - now, ExpireDue);
        }
    }

    private void Expire(RedisCommand command, TimeSpan timeout)
    {
        if (!command.Abandoned)
        {
            command.Fail(new RedisTimeoutException(command.Name, timeout, command.Written, command.Written ? null : _lastError));
        }
    }

    private async void Handshake(RedisProtocol connection)
    {
        try
        {
            connection.CurrentDatabase = 0;
            Protocol = await NegotiateAsync(connection);
            if (!connection.Connected)
            {
                return;
            }

            _ready = connection;
            _lastError = null;
            _factory.ResetDelay();
            var first = _firstReady.TryCallback(Unit.Default);
            Ready?.Invoke(first);
            Drain();
        }
        catch (Exception e)
        {
            _lastError = e;
            _reactor.Logger.LogWarning(e, "Redis handshake with {Server} failed", Describe());
            FailBacklog(new RedisConnectionException($"The handshake with Redis at {Describe()} failed: {e.Message}", false, e));
            _firstReady.TryErrback(e is RedisConnectionException ? e : new RedisConnectionException($"The handshake with Redis at {Describe()} failed: {e.Message}", false, e));
            connection.Transport.LoseConnection();
        }
    }

    private async Task<int> NegotiateAsync(RedisProtocol connection)
    {
        if (_options.PreferResp3)
        {
            var hello = new List<RedisValue> { 3 };
            if (_options.Password is { } password)
            {
                hello.AddRange(["AUTH", _options.User ?? "default", password]);
            }

            if (_options.ClientName is { } name)
            {
                hello.AddRange(["SETNAME", name]);
            }

            try
            {
                await Handshake(connection, "HELLO", [.. hello]);
                return 3;
            }
            catch (RedisReplyException e) when (e.Prefix is "ERR" or "NOPROTO" && !e.ServerMessage.Contains("AUTH", StringComparison.OrdinalIgnoreCase))
            {
                // Redis before 6 does not know HELLO; carry on in RESP2.
            }
        }

        if (_options.Password is { } pass)
        {
            await Handshake(connection, "AUTH", _options.User is { } user ? [user, pass] : [pass]);
        }

        if (_options.ClientName is { } clientName)
        {
            await Handshake(connection, "CLIENT", ["SETNAME", clientName]);
        }

        return 2;
    }

    private Deferred<RespValue> Handshake(RedisProtocol connection, string name, RedisValue[] arguments)
    {
        var command = new RedisCommand<RespValue>(name, -1, arguments, Replies.Any);
        Track(command, _options.ConnectTimeout);
        connection.Send(command);
        return command.Result;
    }

    private void FailBacklog(Exception error)
    {
        while (_backlog.TryDequeue(out var entry))
        {
            entry.Fail(error);
        }
    }

    private static System.Net.Security.SslClientAuthenticationOptions TlsOptions(RedisOptions options)
    {
        var tls = options.Tls ?? new System.Net.Security.SslClientAuthenticationOptions();
        tls.TargetHost ??= options.Host;
        return tls;
    }

    /// <summary>A backlog entry: one command, or a group that must be written back to back.</summary>
    private readonly record struct Entry(RedisCommand? Single, IReadOnlyList<RedisCommand>? Group)
    {
        public IEnumerable<RedisCommand> Commands => Single is not null ? [Single] : Group!;

        public bool Abandoned => Single?.Abandoned ?? Group!.All(c => c.Abandoned);

        public void SendTo(RedisProtocol connection)
        {
            if (Single is not null)
            {
                connection.Send(Single);
            }
            else
            {
                connection.Send(Group!);
            }
        }

        public void Fail(Exception error)
        {
            foreach (var command in Commands)
            {
                command.Fail(error);
            }
        }
    }

    private sealed class ConnectionFactory(RedisMultiplexer owner) : ReconnectingClientFactory(Random.Shared)
    {
        public override IProtocol? BuildProtocol(System.Net.EndPoint address)
        {
            var connection = new RedisProtocol(owner._options.Limits, owner._subscriber);
            connection.Made = () => owner.Handshake(connection);
            connection.ReplyConsumed = owner.ReplyConsumed;
            connection.PushReceived = (in RawReply push) => owner.PushReceived?.Invoke(push);
            connection.Lost = _ =>
            {
                if (ReferenceEquals(owner._ready, connection))
                {
                    owner._ready = null;
                }
            };
            return connection;
        }

        public override void ClientConnectionFailed(IConnector connector, Exception reason)
        {
            owner._lastError = reason;
            if (!owner._firstReady.Called && reason is ConnectException)
            {
                owner._firstReady.TryErrback(new RedisConnectionException($"Cannot connect to Redis at {owner.Describe()}: {reason.Message}", false, reason));
            }

            if (!owner._disposed)
            {
                base.ClientConnectionFailed(connector, reason);
            }
        }

        public override void ClientConnectionLost(IConnector connector, Exception reason)
        {
            owner._lastError = reason;
            if (!owner._disposed)
            {
                base.ClientConnectionLost(connector, reason);
            }
        }
    }
}
