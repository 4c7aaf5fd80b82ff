using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace ReactiveKv.Keyspace;

/// <summary>
/// The nodes of one cluster, one <see cref="ClientConnectionService{TProtocol, TRequest}"/> each, all on one loop,
/// and where each call goes (spec §10.3): master-only calls to the node that confirmed itself master, dirty reads
/// to any connected node. While no master is known, or its connection is down, master-only calls wait here (at most
/// the master timeout; never in a dead node's backlog) and
/// every node is asked get-master on connect and then every probe interval. Connecting, backlogs, in-flight windows
/// and per-node deadlines stay the services'; only the wait for a master is Keyspace's own.
/// </summary>
internal sealed class KeyspaceNodeRouter : IKeyspaceRouter, IAsyncDisposable
{
    private readonly ClientConnectionService<KeyspaceProtocol, KeyspaceCall>[] _services;
    private readonly List<(KeyspaceCall Call, DateTimeOffset Due)> _awaiting = [];
    private readonly Subject<int?> _masterChanges = new();
    private readonly Subject<KeyspaceRetry> _retries = new();
    private readonly KeyspaceErrors _errors = KeyspaceErrors.Instance;
    private readonly string _nodes;
    private IDelayedCall? _masterTimer;
    private IDelayedCall? _probeTimer;
    private readonly System.Collections.Concurrent.ConcurrentQueue<KeyspaceCall> _incoming = new();
    private readonly Action<object?> _drainIncoming;
    private int _drainScheduled;
    private int _master = -1;
    private int _nextDirty;
    private bool _disposed;

    public KeyspaceNodeRouter(Reactor reactor, KeyspaceOptions options)
    {
        Options = options;
        Loop = reactor.Loops.Pick(options.Loop);
        _nodes = string.Join(",", options.Nodes.Select(n => $"{n.Host}:{n.Port}"));
        _drainIncoming = _ => DrainIncoming();
        _services = [.. options.Nodes.Select((_, i) => NodeService(reactor, options, i))];
    }

    public KeyspaceOptions Options { get; }

    public EventLoop Loop { get; }

    /// <summary>The master's node id, if one is confirmed.</summary>
    public int? Master => Volatile.Read(ref _master) is var m and >= 0 ? m : null;

    /// <summary>Every change of the confirmed master (null: none known); hot.</summary>
    public IObservable<int?> MasterChanges => _masterChanges.AsObservable().ObserveOffLoop();

    /// <summary>Every call sent again by the client itself; hot.</summary>
    public IObservable<KeyspaceRetry> Retries => _retries.AsObservable().ObserveOffLoop();

    /// <summary>
    /// Sends <paramref name="call"/> where it belongs. Any thread: calls from other threads reach the loop in one post
    /// per burst, and are placed there, where which node is master and which is connected is known for certain (a call
    /// placed from another thread could land in the backlog of a node that just died and wait there until its deadline).
    /// </summary>
    public void Send(KeyspaceCall call)
    {
        if (Loop.IsLoopThread)
        {
            Route(call);
            return;
        }

        if (!Loop.IsRunning)
        {
            call.Fail(_errors.NotRunning(call));
            return;
        }

        _incoming.Enqueue(call);
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            Loop.Post(_drainIncoming, null);
        }
    }

    /// <summary>Sends <paramref name="calls"/> in one loop turn, so their writes share one submit.</summary>
    public void SendAll(IReadOnlyList<KeyspaceCall> calls) => Loop.Execute(() =>
    {
        foreach (var call in calls)
        {
            Route(call);
        }
    });

    /// <summary>Connects every node and completes once one is connected; fails with the first error when none can be.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var attempts = _services.Select(s => s.ConnectAsync(cancellationToken)).ToList();
        Exception? first = null;
        while (attempts.Count > 0)
        {
            var done = await Task.WhenAny(attempts).ConfigureAwait(false);
            if (done.IsCompletedSuccessfully)
            {
                return;
            }

            first ??= done.Exception?.InnerException;
            attempts.Remove(done);
        }

        throw first ?? new InvalidOperationException("No node to connect to.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Loop.IsRunning)
        {
            await Loop.InvokeAsync(Close).ConfigureAwait(false);
        }
        else
        {
            Close();
        }

        foreach (var service in _services)
        {
            await service.DisposeAsync().ConfigureAwait(false);
        }

        Options.Monitor?.Complete();
    }

    void IKeyspaceRouter.MasterReported(int node, int? master)
    {
        if (master == node)
        {
            SetMaster(node);
        }
        else if (_master == node)
        {
            SetMaster(-1);
        }
        else if (_master < 0 && master is { } named && named >= 0 && named < _services.Length)
        {
            // Another node's belief is only a hint (§10.1): ask the named node itself.
            _services[named].Connection?.Probe();
        }
    }

    void IKeyspaceRouter.ServedAsMaster(int node)
    {
        if (_master < 0)
        {
            SetMaster(node);
        }
    }

    void IKeyspaceRouter.LostLease(int node)
    {
        if (_master == node)
        {
            SetMaster(-1);
        }
    }

    void IKeyspaceRouter.NodeLost(int node, bool rejected)
    {
        if (_master == node)
        {
            SetMaster(-1);
        }
    }

    void IKeyspaceRouter.Retry(KeyspaceCall call, int node, KeyspaceRetryReason reason)
    {
        if (_retries.HasObservers)
        {
            _retries.OnNext(new KeyspaceRetry(call.Operation, call.Wire.Key, node, reason));
        }

        call.PrepareRetry();
        if (Loop.Now >= call.Deadline)
        {
            call.Fail(_errors.Expired(call, _nodes, Options.OperationTimeout));
            return;
        }

        Route(call);
    }

    private static bool WaitsForMaster(KeyspaceCall call) => call.NeedsMaster || call.Wire.Command == KeyspaceCommand.GetMaster;

    private ClientConnectionService<KeyspaceProtocol, KeyspaceCall> NodeService(Reactor reactor, KeyspaceOptions options, int node)
    {
        var server = options.Authority(node);
        var (host, port) = options.Nodes[node];
        Func<IClientFactory, EventLoop, IConnector> connect = options.ConnectWith is { } with
            ? (factory, loop) => with(node, factory, loop)
            : (factory, loop) => reactor.ConnectTcp(host, port, factory, options.ConnectTimeout, loop: loop);
        return new ClientConnectionService<KeyspaceProtocol, KeyspaceCall>(
            reactor, options.Connection(), _errors, server, connect, () => new KeyspaceProtocol(node, this, _errors, server), Loop, KeyspaceTelemetry.Instance)
        {
            // The reference library asks get-master on every new connection (§10.3).
            Ready = (protocol, _) =>
            {
                protocol.Probe();
                FlushAwaiting();
            },
        };
    }

    // Loop thread from here on.
    private void DrainIncoming()
    {
        Volatile.Write(ref _drainScheduled, 0);
        while (_incoming.TryDequeue(out var call))
        {
            Route(call);
        }
    }

    private void Route(KeyspaceCall call)
    {
        if (call.IsSettled)
        {
            return;
        }

        if (_disposed)
        {
            call.Fail(_errors.Disposed(call, _nodes));
        }
        else if (!TryPlace(call))
        {
            WaitOrFail(call);
        }
    }

    /// <summary>
    /// Sends the call if it can go now: a dirty read to a connected node, a master-only call to a confirmed master whose
    /// connection is up. Otherwise it waits here, not in the backlog of a node that may be gone.
    /// </summary>
    private bool TryPlace(KeyspaceCall call)
    {
        if (!WaitsForMaster(call))
        {
            return TrySubmitDirty(call);
        }

        if (_master < 0 || (call.NeedsMaster && !_services[_master].IsConnected))
        {
            return false;
        }

        Deliver(_master, call);
        return true;
    }

    private void Deliver(int master, KeyspaceCall call)
    {
        if (call.Wire.Command == KeyspaceCommand.GetMaster)
        {
            call.Succeed(new KeyspaceReply { Type = KeyspaceReplyType.Ok, Value = System.Text.Encoding.ASCII.GetBytes(master.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
            return;
        }

        Submit(master, call);
    }

    private void Submit(int node, KeyspaceCall call)
    {
        // A retried call keeps its first deadline: the service gets what is left of it.
        var left = call.Deadline - Loop.Now;
        if (left <= TimeSpan.Zero)
        {
            call.Fail(_errors.Expired(call, _nodes, Options.OperationTimeout));
            return;
        }

        _services[node].Submit(call, Options.OperationTimeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : left);
    }

    private bool TrySubmitDirty(KeyspaceCall call)
    {
        var count = _services.Length;
        if (Options.DirtyReadNode is { } pinned && pinned >= 0 && pinned < count && _services[pinned].IsConnected)
        {
            Submit(pinned, call);
            return true;
        }

        var start = (int)((uint)_nextDirty++ % (uint)count);
        for (var i = 0; i < count; i++)
        {
            var node = (start + i) % count;
            if (_services[node].IsConnected)
            {
                Submit(node, call);
                return true;
            }
        }

        // No node is connected: like the reference library, a dirty read then waits (at most the master timeout).
        return false;
    }

    // DisconnectedBehavior.FailFast: once every node's last attempt failed, a call that cannot be placed fails at
    // once instead of waiting for the master timeout.
    private void WaitOrFail(KeyspaceCall call)
    {
        if (Options.DisconnectedBehavior == DisconnectedBehavior.FailFast && _services.All(s => !s.IsConnected && s.LastError is not null))
        {
            call.Fail(_errors.NotConnected(call, _nodes, _services[0].LastError));
            return;
        }

        Await(call);
    }

    private void Await(KeyspaceCall call)
    {
        var due = Loop.Now + Options.MasterTimeout;
        _awaiting.Add((call, due < call.Deadline ? due : call.Deadline));
        _masterTimer ??= Loop.CallLater(Options.MasterTimeout < call.Deadline - Loop.Now ? Options.MasterTimeout : call.Deadline - Loop.Now, ExpireAwaiting);
        Discover();
    }

    private void Discover()
    {
        foreach (var service in _services)
        {
            if (service.Connection is { } connection)
            {
                connection.Probe();
            }
            else
            {
                // Lazy services connect on demand: a node that is down is tried again at every probe tick.
                _ = service.ConnectAsync().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }

        _probeTimer ??= Loop.CallLater(Options.MasterProbeInterval, ProbeTick);
    }

    private void ProbeTick()
    {
        _probeTimer = null;
        if (_awaiting.Count > 0 && !_disposed)
        {
            Discover();
        }
    }

    private void ExpireAwaiting()
    {
        _masterTimer = null;
        var now = Loop.Now;
        var anyConnected = _services.Any(s => s.IsConnected);
        var next = DateTimeOffset.MaxValue;
        for (var i = _awaiting.Count - 1; i >= 0; i--)
        {
            var (call, due) = _awaiting[i];
            if (call.IsSettled || due <= now)
            {
                _awaiting.RemoveAt(i);
                FailWaiting(call, now, anyConnected);
            }
            else if (due < next)
            {
                next = due;
            }
        }

        if (next != DateTimeOffset.MaxValue)
        {
            _masterTimer = Loop.CallLater(next - now, ExpireAwaiting);
        }
    }

    private void FailWaiting(KeyspaceCall call, DateTimeOffset now, bool anyConnected)
    {
        if (call.IsSettled)
        {
            return;
        }

        call.Fail(now >= call.Deadline
            ? _errors.Expired(call, _nodes, Options.OperationTimeout)
            : _errors.NoMaster(call.Operation, Options.MasterTimeout, anyConnected, _nodes));
    }

    // Also called when the known master confirms itself again (on reconnecting): calls that waited for its
    // connection, rather than sit in a dead node's backlog until their deadline, go now.
    private void SetMaster(int master)
    {
        if (_master != master)
        {
            Volatile.Write(ref _master, master);
            _masterChanges.OnNext(master >= 0 ? master : null);
            if (master >= 0)
            {
                Options.Monitor?.Publish(ClientConnectionEventKind.PrimaryChanged, Options.Authority(master), detail: $"node {master} ({Options.Authority(master)})");
            }
        }

        if (master < 0)
        {
            if (_awaiting.Count > 0)
            {
                Discover();
            }

            return;
        }

        FlushAwaiting();
    }

    /// <summary>Sends every waiting call that can go now; the others keep waiting.</summary>
    private void FlushAwaiting()
    {
        if (_awaiting.Count == 0)
        {
            return;
        }

        var waiting = _awaiting.ToArray();
        _awaiting.Clear();
        foreach (var entry in waiting)
        {
            if (!entry.Call.IsSettled && !TryPlace(entry.Call))
            {
                _awaiting.Add(entry);
            }
        }

        if (_awaiting.Count == 0)
        {
            _masterTimer?.Cancel();
            _masterTimer = null;
        }
    }

    private void Close()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _masterTimer?.Cancel();
        _probeTimer?.Cancel();
        foreach (var (call, _) in _awaiting)
        {
            call.Fail(_errors.Disposed(call, _nodes));
        }

        _awaiting.Clear();
        _masterChanges.OnCompleted();
        _retries.OnCompleted();
    }
}
