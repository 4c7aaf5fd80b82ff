using System.Collections.Concurrent;
using System.Reactive;

namespace ReactiveKv;

/// <summary>
/// The one way every backend client is connected (Twisted's <c>ClientService</c>, with StackExchange.Redis's
/// multiplexer and Lettuce's command expiry): it connects with a timeout and reconnects with backoff; requests made
/// while no connection is usable wait in a bounded backlog (or fail fast); requests from other threads reach the
/// loop in one post per burst, or, onto an idle loop and a connection with nothing in flight, are sent from the
/// caller's own thread in a turn borrowed from the loop (no loop wake-up); every request has a deadline on the loop clock (one timer for the default-deadline
/// queue, a timer of its own only for a custom deadline); at most <see cref="ClientConnectionOptions.MaxInFlight"/>
/// requests wait for replies; and a request written before a loss fails with <c>MayHaveExecuted</c>. All state
/// lives on <see cref="Loop"/>.
/// </summary>
/// <typeparam name="TProtocol">The backend's connection protocol.</typeparam>
/// <typeparam name="TRequest">The backend's request type.</typeparam>
public sealed class ClientConnectionService<TProtocol, TRequest> : IClientProtocolOwner<TRequest>, IAsyncDisposable
    where TProtocol : ClientProtocol<TRequest>
    where TRequest : ClientRequest
{
    private readonly Reactor _reactor;
    private readonly Func<IClientFactory, EventLoop, IConnector> _connect;
    private readonly Func<TProtocol> _buildProtocol;
    private readonly ServiceFactory _factory;
    private readonly Queue<Entry> _backlog = new();
    private readonly ConcurrentQueue<(Entry Entry, TimeSpan? Timeout)> _incoming = new();
    private readonly Queue<TRequest> _deadlines = new();
    private readonly Action<object?> _drainIncoming;
    private readonly ServiceTelemetry? _telemetry;
    private readonly List<Deferred<Unit>> _readyWaiters = [];
    private IConnector? _connector;
    private IDelayedCall? _deadlineTimer;
    private DateTimeOffset _lastQueuedDue;
    private TProtocol? _ready;
    private int _drainScheduled;
    private volatile bool _quiet;
    private int _peakInFlight;
    private bool _attemptFailed;
    private bool _idle = true;
    private bool _gaveUp;
    private bool _everReady;
    private bool _disposed;
    private int _closed;
    private CancellationTokenRegistration _loopEnded;
    private bool _expiring;
    private readonly ClientConnectionMonitor _monitor;
    private readonly bool _ownsMonitor;
    private volatile ClientConnectionState _state;
    private TProtocol? _announced;
    private int _failuresInRow;

    /// <summary>Creates the service; it connects at once unless <see cref="ClientConnectionOptions.ConnectLazily"/> is set.</summary>
    /// <param name="reactor">The reactor whose loop the connection lives on.</param>
    /// <param name="options">Timeouts, limits and reconnect policy.</param>
    /// <param name="errors">The backend's error factory.</param>
    /// <param name="server">The server as messages name it (host:port).</param>
    /// <param name="connect">Starts one connector to the server with the given factory on the given loop (<c>reactor.ConnectTcp</c> and friends, or a test connector).</param>
    /// <param name="buildProtocol">Makes the protocol for a new connection.</param>
    /// <param name="loop">The loop to live on; default: the reactor's next.</param>
    /// <param name="telemetry">The backend's tracing and metrics; none when null.</param>
    public ClientConnectionService(
        Reactor reactor,
        ClientConnectionOptions options,
        ClientErrors errors,
        string server,
        Func<IClientFactory, EventLoop, IConnector> connect,
        Func<TProtocol> buildProtocol,
        EventLoop? loop = null,
        ClientTelemetry? telemetry = null)
    {
        _reactor = reactor;
        Options = options.Validate();
        Errors = errors;
        Server = server;
        _connect = connect;
        _buildProtocol = buildProtocol;
        _telemetry = telemetry is null ? null : new ServiceTelemetry(telemetry, server);
        _drainIncoming = _ => DrainIncoming();
        _ownsMonitor = options.Monitor is null;
        _monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, errors.Backend);
        _state = ClientConnectionState.Idle;
        _monitor.Report(this, ClientConnectionState.Idle);
        Loop = loop ?? reactor.Loops.Pick(options.Loop);
        _factory = new ServiceFactory(this)
        {
            InitialDelay = options.Reconnect.InitialDelay,
            MaxDelay = options.Reconnect.MaxDelay,
            Factor = options.Reconnect.Factor,
            Jitter = options.Reconnect.Jitter,
            MaxRetries = options.Reconnect.MaxRetries,
        };
        if (!options.ConnectLazily)
        {
            Loop.Execute(EnsureConnecting);
        }

        // Whatever still waits when the loop has run its last turn can never be answered: fail it rather than hang.
        _loopEnded = Loop.Ended.UnsafeRegister(static self => ((ClientConnectionService<TProtocol, TRequest>)self!).Close(stopped: true), this);
    }

    /// <summary>The loop every callback of this service and its connections runs on.</summary>
    public EventLoop Loop { get; }

    /// <summary>The options it was made with.</summary>
    public ClientConnectionOptions Options { get; }

    /// <summary>The backend's error factory.</summary>
    public ClientErrors Errors { get; }

    /// <summary>The server, as messages name it.</summary>
    public string Server { get; }

    /// <summary>The connection ready for requests, if one is. Loop thread.</summary>
    public TProtocol? Connection => Usable();

    /// <summary>True while a connection is ready for requests.</summary>
    public bool IsConnected => _ready is { Usable: true };

    /// <summary>Why the last connection attempt failed or the last connection went away; null while connected.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Where this connection stands; read from any thread.</summary>
    public ClientConnectionState State => _state;

    /// <summary>Where the service reports its connection events (the client's, shared by all its connections, or its own).</summary>
    public ClientConnectionMonitor Monitor => _monitor;

    /// <summary>The connection events of this service's monitor, hot (<see cref="ClientConnectionMonitor.Events"/>).</summary>
    public IObservable<ClientConnectionEvent> ConnectionEvents => _monitor.Events;

    /// <summary>Requests waiting for a connection or for room in the in-flight window. Loop thread.</summary>
    public int BacklogCount => _backlog.Count;

    /// <summary>Requests whose default deadline is still tracked (answered ones leave as replies arrive). Loop thread.</summary>
    public int TrackedDeadlines => _deadlines.Count;

    /// <summary>Runs on the loop after every successful handshake, before waiting requests are sent; true the first time.</summary>
    public Action<TProtocol, bool>? Ready { get; set; }

    /// <summary>
    /// Runs on the loop when a connection is lost or an attempt to connect fails: a router above the service (a
    /// Redis Cluster client) uses it to ask where the server's work has gone.
    /// </summary>
    public Action<Exception>? Down { get; set; }

    /// <summary>
    /// Takes every request not yet written out of the backlog and hands each (a group as one list) to
    /// <paramref name="each"/>, so a router can send them elsewhere; runs on the loop. Their deadlines stay tracked
    /// here until they settle. Returns how many were taken.
    /// </summary>
    public int TakeBacklog(Action<IReadOnlyList<TRequest>> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        DrainIncoming();
        var taken = 0;
        while (_backlog.TryDequeue(out var entry))
        {
            BacklogChanged(-1);
            if (entry.Settled)
            {
                continue;
            }

            taken += entry.Count;
            each(entry.Single is { } single ? [single] : entry.Group!);
        }

        return taken;
    }

    /// <summary>
    /// Sends <paramref name="request"/> as soon as a connection has room. Safe from any thread. <paramref name="timeout"/>
    /// overrides <see cref="ClientConnectionOptions.OperationTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> means none.
    /// </summary>
    public void Submit(TRequest request, TimeSpan? timeout = null) => Accept(new Entry(request, null), timeout);

    /// <summary>Sends the requests back to back, with nothing between them (a transaction).</summary>
    public void SubmitGroup(IReadOnlyList<TRequest> group, TimeSpan? timeout = null) => Accept(new Entry(null, group), timeout);

    /// <summary>
    /// Connects now (if not connected) and completes when a connection is ready; fails with the connect error if the
    /// first attempt fails, and at once if the reactor is not running.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfReactorStopped("connect");
        var asked = Loop.InvokeAsync(() => _ready is { Usable: true } ? Deferred.Succeed(Unit.Default) : WhenReady());
        // Both may complete at once on the loop's last turn; what matters is whether the question was answered.
        await Task.WhenAny(asked, Loop.Completion).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!asked.IsCompleted)
        {
            ThrowIfReactorStopped("connect");
        }

        await (await asked.ConfigureAwait(false)).ToTask(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops reconnecting, closes the connection and fails what waits. Completes whatever state the reactor is in.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Loop.IsLoopThread)
        {
            Close(stopped: false);
            return;
        }

        if (Loop.IsRunning)
        {
            var closed = Loop.InvokeAsync(() => Close(stopped: false));
            await Task.WhenAny(closed, Loop.Completion).ConfigureAwait(false);
            if (closed.IsCompleted)
            {
                await closed.ConfigureAwait(false);
                return;
            }
        }

        // The loop is stopping or stopped (its last turn may still be running: wait for it), or it never ran; either
        // way nothing else touches this state once it has ended.
        if (Loop.WasStarted)
        {
            await Loop.Completion.ConfigureAwait(false);
        }

        Close(stopped: false);
    }

    private Deferred<Unit> WhenReady()
    {
        if (_disposed)
        {
            return Deferred.Fail<Unit>(new ObjectDisposedException(GetType().Name, $"The {Errors.Backend} client for {Server} was disposed."));
        }

        var waiter = new Deferred<Unit>();
        _readyWaiters.Add(waiter);
        EnsureConnecting();
        return waiter;
    }

    private void SettleReadyWaiters(Exception? error)
    {
        if (_readyWaiters.Count == 0)
        {
            return;
        }

        var waiters = _readyWaiters.ToArray();
        _readyWaiters.Clear();
        foreach (var waiter in waiters)
        {
            if (error is null)
            {
                waiter.TryCallback(Unit.Default);
            }
            else
            {
                waiter.TryErrback(error);
            }
        }
    }

    /// <summary>
    /// Fails everything that waits and stops for good: on disposal, or when the loop has ended (<paramref name="stopped"/>).
    /// Runs on the loop, or after the loop ended, or on a loop that never ran: never beside the loop.
    /// </summary>
    private void Close(bool stopped)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _disposed = true;
        if (!stopped)
        {
            // Not from inside the registration's own callback: disposing it there would wait for itself.
            _loopEnded.Dispose();
        }

        Func<TRequest, Exception> error = stopped ? r => Stopped(r) : r => Errors.Disposed(r, Server);
        if (Loop.IsRunning)
        {
            _factory.StopTrying();
        }

        if (_deadlineTimer is { Active: true } timer)
        {
            timer.Cancel();
        }

        _deadlineTimer = null;
        while (_incoming.TryDequeue(out var incoming))
        {
            incoming.Entry.Fail(error);
        }

        while (_backlog.TryDequeue(out var entry))
        {
            BacklogChanged(-1);
            entry.Fail(error);
        }

        SettleReadyWaiters(new ObjectDisposedException(GetType().Name, stopped
            ? $"The reactor stopped before the {Errors.Backend} client connected to {Server}."
            : $"The {Errors.Backend} client was disposed before it connected to {Server}."));
        var ready = _ready;
        _ready = null;
        if (ready is not null)
        {
            FailInFlight(ready, error);
        }

        if (Loop.IsRunning)
        {
            _connector?.Disconnect();
        }

        SetState(ClientConnectionState.Closed);
        _monitor.Publish(ClientConnectionEventKind.Closed, Server);
        if (_ownsMonitor)
        {
            _monitor.Complete();
        }
    }

    /// <summary>Moves to <paramref name="state"/> and tells the monitor; only on changes, so never per request.</summary>
    private void SetState(ClientConnectionState state)
    {
        if (_state == state || _state == ClientConnectionState.Closed)
        {
            return;
        }

        _state = state;
        _monitor.Report(this, state);
    }

    private ReactorNotRunningException Stopped(ClientRequest request) => new(
        $"{request.Operation} to {Errors.Backend} at {Server} cannot complete: the reactor stopped{(request.Written ? " after it was sent, so it may have executed" : "")}.");

    private void ThrowIfReactorStopped(string doing)
    {
        if (!Loop.IsRunning)
        {
            throw new ReactorNotRunningException(
                $"Cannot {doing} to {Errors.Backend} at {Server}: the reactor is not running. Start it first (reactor.Start(), Reactor.React or AddReactor in a host).");
        }
    }

    // Requests from other threads share one concurrent queue drained by a single loop post (or borrowed turn) per
    // burst, so a thousand pipelined calls cost one hop to the loop, not a thousand.
    private void Accept(Entry entry, TimeSpan? timeout)
    {
        if (_telemetry is { } telemetry && telemetry.Telemetry.Observed)
        {
            entry.StartMeasuring(telemetry);
        }

        if (Loop.IsLoopThread)
        {
            DrainIncoming();
            Enqueue(entry, timeout);
            PublishQuiet();
            return;
        }

        if (!Loop.IsRunning)
        {
            var stopped = new ReactorNotRunningException(
                $"Cannot send to {Errors.Backend} at {Server}: the reactor is not running. Start it first (reactor.Start(), Reactor.React or AddReactor in a host).");
            entry.Fail(_ => stopped);
            return;
        }

        // The first of a burst drains it. A caller awaiting one request at a time finds the connection quiet and the
        // loop idle, and drains on its own thread, sending with its own system call: that spares the loop a wake-up
        // per request (it still wakes for the reply). Otherwise a post: a pipelining caller's burst is then gathered
        // into one write rather than sent a request per system call.
        _incoming.Enqueue((entry, timeout));
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0 && !(_quiet && Loop.TryRunWhileIdle(_drainIncoming, null)))
        {
            Loop.Post(_drainIncoming, null);
        }

        // The loop may have run its last turn between the check above and the post: then nothing will drain it.
        if (Loop.Completion.IsCompleted)
        {
            while (_incoming.TryDequeue(out var stranded))
            {
                stranded.Entry.Fail(r => Stopped(r));
            }
        }
    }

    /// <summary>
    /// Tells other threads whether the connection is ready with nothing in flight or waiting, after a stretch in which
    /// requests went out one at a time: a hint read without the loop (a stale one only chooses a post where a borrowed
    /// turn would do, or the reverse), kept on the loop. Callers that overlap (many awaiting at once, or one
    /// pipelining) are served better by a post, which gathers what they send meanwhile into one write.
    /// </summary>
    private void PublishQuiet()
    {
        if (_ready is not { Usable: true } connection || _backlog.Count > 0)
        {
            _quiet = false;
            return;
        }

        var inFlight = connection.InFlight;
        if (inFlight > 0)
        {
            _peakInFlight = Math.Max(_peakInFlight, inFlight);
            _quiet = false;
            return;
        }

        _quiet = _peakInFlight <= 1;
        _peakInFlight = 0;
    }

    private void DrainIncoming()
    {
        Volatile.Write(ref _drainScheduled, 0);
        while (_incoming.TryDequeue(out var item))
        {
            Enqueue(item.Entry, item.Timeout);
        }

        PublishQuiet();
    }

    private void Enqueue(Entry entry, TimeSpan? timeout)
    {
        if (_disposed)
        {
            entry.Fail(r => Errors.Disposed(r, Server));
            return;
        }

        if (_gaveUp && _idle && Options.ConnectLazily)
        {
            // A lazy client that gave up tries again when it is used again, as it does after any idle spell.
            _gaveUp = false;
        }

        TrimSettledBacklog();
        if (Usable() is { } connection && _backlog.Count == 0 && HasRoom(connection))
        {
            entry.Track(this, timeout);
            entry.SendTo(connection);
        }
        else if (FailingFast)
        {
            entry.Fail(r => Errors.NotConnected(r, Server, LastError));
        }
        else if (_backlog.Count >= Options.MaxBacklog)
        {
            entry.Fail(r => Errors.BacklogFull(r, Server, _backlog.Count, LastError));
        }
        else
        {
            entry.Track(this, timeout);
            _backlog.Enqueue(entry);
            BacklogChanged(1);
            EnsureConnecting();
        }
    }

    /// <summary>Requests that expired or were cancelled while waiting leave the backlog's head, so they neither count against MaxBacklog nor keep a lazy client reconnecting.</summary>
    private void TrimSettledBacklog()
    {
        while (_backlog.TryPeek(out var head) && head.Settled)
        {
            _backlog.Dequeue();
            BacklogChanged(-1);
        }
    }

    private void BacklogChanged(int delta)
    {
        _telemetry?.Telemetry.Backlog.Add(delta, _telemetry.SystemTag);
    }

    // A lazy service with no attempt under way is idle, not failing: the next request starts a new attempt and waits for it.
    private bool FailingFast => _ready is null && (_gaveUp || (_attemptFailed && !_idle && Options.DisconnectedBehavior == DisconnectedBehavior.FailFast));

    private void Drain()
    {
        while (Usable() is { } connection && HasRoom(connection) && _backlog.TryDequeue(out var entry))
        {
            BacklogChanged(-1);
            if (!entry.Settled)
            {
                entry.SendTo(connection);
            }
        }
    }

    // Room in the in-flight window, and in the socket: while the transport holds more than its high watermark of
    // unsent bytes (a slow server, TCP flow control), requests wait in the backlog instead of piling up there.
    private bool HasRoom(TProtocol connection) => connection.InFlight < Options.MaxInFlight && !connection.WritePaused;

    private TProtocol? Usable()
    {
        if (_ready is { Usable: false })
        {
            _ready = null;
        }

        return _ready;
    }

    private void EnsureConnecting()
    {
        if (_disposed || !_idle || _ready is not null)
        {
            return;
        }

        _idle = false;
        SetState(_everReady ? ClientConnectionState.Reconnecting : ClientConnectionState.Connecting);
        if (_connector is null)
        {
            _connector = _connect(_factory, Loop);
        }
        else if (_connector.State == ConnectorState.Disconnected)
        {
            _factory.ResetDelay();
            _connector.Connect();
        }
    }

    private void Track(TRequest request, TimeSpan? timeout)
    {
        var limit = timeout ?? Options.OperationTimeout;
        if (limit == Timeout.InfiniteTimeSpan)
        {
            request.Due = DateTimeOffset.MaxValue;
            return;
        }

        var due = Loop.Now + limit;
        request.Due = due;
        request.Limit = limit;

        // A request sent again by a router is not answered until its new reply comes: left marked, the queue below
        // would drop it as answered and nothing would time it out.
        request.Answered = false;

        // Requests expire in the order their deadlines fall, so one timer armed for the oldest covers them all while
        // the queue stays in deadline order. Default deadlines always keep it so (the clock only moves on); a deadline
        // of its own does when it is no later than the default one and no earlier than the last queued (Keyspace and
        // Pegasus give each call the time left of its own deadline, nearly always the case). Any other deadline gets
        // a timer of its own, cancelled once the request is answered.
        if (limit != Options.OperationTimeout && (limit > Options.OperationTimeout || (_deadlines.Count > 0 && due < _lastQueuedDue)))
        {
            ExpireLater(request, limit);
            return;
        }

        _deadlines.Enqueue(request);
        _lastQueuedDue = due;
        if (_expiring)
        {
            // ExpireDue arms the timer for the head when it is done.
            return;
        }

        if (_deadlineTimer is not { Active: true } timer)
        {
            _deadlineTimer = Loop.CallLater(limit, ExpireDue);
        }
        else if (timer.DueTime > due)
        {
            // The timer can still be armed for a head answered and trimmed since, due later than this shorter deadline.
            timer.Reset(limit);
        }
    }

    // The timer is kept on the request, which cancels it once answered (see ClientRequest.Answered).
    private void ExpireLater(TRequest request, TimeSpan limit) => request.Expiry = Loop.CallLater(limit, () => Expire(request, limit));

    private void ExpireDue()
    {
        // Failing a request can run its caller's code inline, which may make requests: they join the queue without
        // arming a second timer, and the one timer is armed again below for the oldest.
        _deadlineTimer = null;
        _expiring = true;
        var now = Loop.Now;
        try
        {
            while (_deadlines.TryPeek(out var head) && (head.IsSettled || head.Due <= now))
            {
                _deadlines.Dequeue();
                Expire(head, head.Limit);
            }
        }
        finally
        {
            _expiring = false;
        }

        if (!_disposed && _deadlines.TryPeek(out var next))
        {
            _deadlineTimer = Loop.CallLater(next.Due - Loop.Now, ExpireDue);
        }
    }

    private void Expire(TRequest request, TimeSpan timeout)
    {
        if (!request.IsSettled)
        {
            var error = Errors.Timeout(request, Server, timeout, request.Written ? null : LastError);
            request.Fail(error);
            request.ReportSettled(error);
            if (request.Written && _ready is { } connection)
            {
                connection.Forget(request);
            }
        }
    }

    private void TrimAnswered()
    {
        while (_deadlines.TryPeek(out var head) && (head.Answered || head.IsSettled))
        {
            _deadlines.Dequeue();
        }
    }

    void IClientProtocolOwner<TRequest>.Made(ClientProtocol<TRequest> protocol) => Handshake((TProtocol)protocol);

    void IClientProtocolOwner<TRequest>.Answered(ClientProtocol<TRequest> protocol)
    {
        TrimAnswered();
        if (_backlog.Count > 0)
        {
            Drain();
        }

        PublishQuiet();
    }

    void IClientProtocolOwner<TRequest>.Lost(ClientProtocol<TRequest> protocol, Exception reason)
    {
        if (ReferenceEquals(_ready, protocol))
        {
            _ready = null;
        }

        PublishQuiet();
        LastError = reason;
        SettleReadyWaiters(Errors.ConnectFailed(Server, reason));
        FailInFlight(protocol, r => _disposed ? Errors.Disposed(r, Server) : Errors.ConnectionLost(r, Server, reason));

        if (!_disposed)
        {
            Down?.Invoke(reason);
        }

        if (reason is ProtocolErrorException)
        {
            ClientLog.ProtocolViolation(_monitor.Logger, reason, Errors.Backend, Server);
        }

        if (ReferenceEquals(_announced, protocol))
        {
            // A loss the client asked for (disposal) is no news: logged at Debug.
            _announced = null;

            // The state first, so whoever hears of the loss reads where the client stands now: a lazy client with
            // nothing waiting goes quiet (the factory decides the same right after), any other reconnects.
            if (!_disposed)
            {
                SetState(Options.ConnectLazily && _backlog.Count == 0 ? ClientConnectionState.Idle : ClientConnectionState.Reconnecting);
            }

            _monitor.Publish(ClientConnectionEventKind.Disconnected, Server, reason, quiet: _disposed);
        }
    }

    void IClientProtocolOwner<TRequest>.SendNow(ClientProtocol<TRequest> protocol, TRequest request)
    {
        Track(request, Options.ConnectTimeout);
        request.Written = true;
        protocol.Send(request);
    }

    private static void FailInFlight(ClientProtocol<TRequest> protocol, Func<TRequest, Exception> error)
    {
        foreach (var request in protocol.TakeInFlight())
        {
            if (!request.IsSettled)
            {
                var reason = error(request);
                request.Fail(reason);
                request.ReportSettled(reason);
            }
            else
            {
                // Settled without its reply (its caller cancelled it): the reply will never come now, so it ends here.
                request.ReportAbandoned();
            }
        }
    }

    private async void Handshake(TProtocol protocol)
    {
        protocol.Owner = this;
        try
        {
            await protocol.HandshakeAsync();
        }
        catch (Exception e)
        {
            var error = Errors.HandshakeFailed(Server, e);
            LastError = error;
            AttemptFailed(error);
            SettleReadyWaiters(error);
            _attemptFailed = true;
            FailBacklogIfFailingFast();
            protocol.Transport.LoseConnection();
            return;
        }

        if (!protocol.Usable || _disposed)
        {
            return;
        }

        _ready = protocol;
        LastError = null;
        _attemptFailed = false;
        _gaveUp = false;
        _factory.ResetDelay();
        var first = !_everReady;
        _everReady = true;
        if (!first && _telemetry is { } telemetry)
        {
            telemetry.Telemetry.Reconnects.Add(1, telemetry.SystemTag);
        }

        _failuresInRow = 0;
        _announced = protocol;
        SetState(ClientConnectionState.Connected);
        _monitor.Publish(first ? ClientConnectionEventKind.Connected : ClientConnectionEventKind.Reconnected, Server);
        try
        {
            Ready?.Invoke(protocol, first);
        }
        catch (Exception e)
        {
            // A backend's ready hook failing must not leave the backlog and ConnectAsync callers waiting.
            ClientLog.ReadyHookFailed(_monitor.Logger, e, Errors.Backend, Server);
        }

        SettleReadyWaiters(null);
        Drain();
        PublishQuiet();
    }

    private void ConnectFailed(Exception reason)
    {
        LastError = reason;
        _attemptFailed = true;
        if (!_disposed)
        {
            AttemptFailed(reason);
        }

        var error = Errors.ConnectFailed(Server, reason);
        SettleReadyWaiters(error);
        FailBacklogIfFailingFast();
        if (!_disposed)
        {
            Down?.Invoke(reason);
        }
    }

    /// <summary>An attempt or its handshake failed: the first failure in a row is a warning, the rest (every retry while a server is down) debug lines.</summary>
    private void AttemptFailed(Exception reason)
    {
        SetState(_everReady ? ClientConnectionState.Reconnecting : ClientConnectionState.Unreachable);
        _monitor.Publish(ClientConnectionEventKind.ConnectFailed, Server, reason, quiet: _failuresInRow++ > 0);
    }

    /// <summary>After a failure or a loss, with the factory's decision made: say what comes next.</summary>
    private void AfterFailure(bool retrying)
    {
        if (_disposed)
        {
            return;
        }

        if (!retrying)
        {
            SetState(ClientConnectionState.Idle);
        }
        else if (_factory.ContinueTrying)
        {
            _monitor.Publish(ClientConnectionEventKind.ReconnectScheduled, Server, attempt: _factory.Retries, delay: _factory.CurrentDelay);
        }
    }

    private void FailBacklogIfFailingFast()
    {
        if (!FailingFast)
        {
            return;
        }

        while (_backlog.TryDequeue(out var entry))
        {
            BacklogChanged(-1);
            entry.Fail(r => Errors.NotConnected(r, Server, LastError));
        }
    }

    /// <summary>After a loss or a failed attempt: try again with backoff, unless lazy and nothing waits, or the policy gave up.</summary>
    private bool ShouldRetry()
    {
        if (_disposed)
        {
            return false;
        }

        if (Options.ConnectLazily && _backlog.Count == 0)
        {
            _idle = true;
            return false;
        }

        return true;
    }

    private void GaveUpIfExhausted()
    {
        if (!_factory.ContinueTrying && !_disposed)
        {
            SetState(ClientConnectionState.Unreachable);
            if (!_gaveUp)
            {
                _monitor.Publish(ClientConnectionEventKind.GaveUp, Server, LastError);
            }

            _gaveUp = true;
            _idle = true;
            FailBacklogIfFailingFast();
        }
    }

    /// <summary>A backlog entry: one request, or a group written back to back.</summary>
    private readonly record struct Entry(TRequest? Single, IReadOnlyList<TRequest>? Group)
    {
        public int Count => Single is not null ? 1 : Group!.Count;

        public bool Settled
        {
            get
            {
                if (Single is not null)
                {
                    return Single.IsSettled;
                }

                foreach (var request in Group!)
                {
                    if (!request.IsSettled)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        public void Track(ClientConnectionService<TProtocol, TRequest> service, TimeSpan? timeout)
        {
            if (Single is not null)
            {
                service.Track(Single, timeout);
                return;
            }

            foreach (var request in Group!)
            {
                service.Track(request, timeout);
            }
        }

        public void SendTo(TProtocol connection)
        {
            if (Single is not null)
            {
                Single.Written = true;
                connection.Send(Single);
                return;
            }

            foreach (var request in Group!)
            {
                request.Written = true;
                connection.Send(request);
            }
        }

        public void Fail(Func<TRequest, Exception> error)
        {
            if (Single is not null)
            {
                Fail(Single, error(Single));
                return;
            }

            foreach (var request in Group!)
            {
                Fail(request, error(request));
            }
        }

        public void StartMeasuring(ServiceTelemetry telemetry)
        {
            if (Single is not null)
            {
                Single.StartMeasuring(telemetry);
                return;
            }

            foreach (var request in Group!)
            {
                request.StartMeasuring(telemetry);
            }
        }

        private static void Fail(TRequest request, Exception error)
        {
            request.Fail(error);
            request.ReportSettled(error);
        }
    }

    private sealed class ServiceFactory(ClientConnectionService<TProtocol, TRequest> owner) : ReconnectingClientFactory(Random.Shared)
    {
        public override IProtocol? BuildProtocol(System.Net.EndPoint address)
        {
            var protocol = owner._buildProtocol();
            protocol.Owner = owner;
            return protocol;
        }

        public override void ClientConnectionFailed(IConnector connector, Exception reason)
        {
            owner.ConnectFailed(reason);
            var retrying = owner.ShouldRetry();
            if (retrying)
            {
                base.ClientConnectionFailed(connector, reason);
                owner.GaveUpIfExhausted();
            }

            owner.AfterFailure(retrying);
        }

        public override void ClientConnectionLost(IConnector connector, Exception reason)
        {
            var retrying = owner.ShouldRetry();
            if (retrying)
            {
                base.ClientConnectionLost(connector, reason);
                owner.GaveUpIfExhausted();
            }

            owner.AfterFailure(retrying);
        }
    }
}
