using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// Where every connection of one client reports: it logs each change once (<see cref="ClientEventIds"/>), publishes
/// it on <see cref="Events"/>, and folds the states of the client's connections into one
/// <see cref="State"/> for health checks. A client with many connections (Redis with pub/sub or a cluster, Pegasus
/// replicas, Keyspace nodes) shares one monitor among them. Reporting happens only on state changes, never per request.
/// </summary>
public sealed class ClientConnectionMonitor
{
    private readonly Subject<ClientConnectionEvent> _events = new();
    private readonly Dictionary<object, ClientConnectionState> _states = new(ReferenceEqualityComparer.Instance);
    private readonly Func<DateTimeOffset> _now;
    private readonly object _gate = new();
    private Exception? _lastError;
    private bool _completed;

    /// <summary>Creates a monitor logging through the reactor's logger factory, under <c>ReactiveKv.Clients.&lt;backend&gt;</c>.</summary>
    public ClientConnectionMonitor(Reactor reactor, string backend)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        Backend = backend;
        Logger = reactor.Options.LoggerFactory?.CreateLogger("ReactiveKv.Clients." + backend.Replace(" ", "", StringComparison.Ordinal)) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _now = () => reactor.Now;
        Events = _events.ObserveOffLoop();
    }

    /// <summary>The backend's name.</summary>
    public string Backend { get; }

    /// <summary>The logger connection events go to.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// Every connection event of the client, hot: subscribers see what happens after they subscribe, in order, and (like
    /// every observable of the library) off the loops when they subscribed off them; it completes when the client is
    /// disposed. Each event is published after the state it leads to, so <see cref="State"/> read on an event is current.
    /// </summary>
    public IObservable<ClientConnectionEvent> Events { get; }

    /// <summary>
    /// The client's state over all its connections: connections not in use (idle) are left out; all the rest ready
    /// is <see cref="ClientConnectionState.Connected"/>; some ready is <see cref="ClientConnectionState.Reconnecting"/>.
    /// </summary>
    public ClientConnectionState State
    {
        get
        {
            lock (_gate)
            {
                if (_completed)
                {
                    return ClientConnectionState.Closed;
                }

                int connected = 0, reconnecting = 0, connecting = 0, unreachable = 0;
                foreach (var state in _states.Values)
                {
                    switch (state)
                    {
                        case ClientConnectionState.Connected: connected++; break;
                        case ClientConnectionState.Reconnecting: reconnecting++; break;
                        case ClientConnectionState.Connecting: connecting++; break;
                        case ClientConnectionState.Unreachable: unreachable++; break;
                    }
                }

                var active = connected + reconnecting + connecting + unreachable;
                return active == 0 ? ClientConnectionState.Idle
                    : connected == active ? ClientConnectionState.Connected
                    : connected > 0 || reconnecting > 0 ? ClientConnectionState.Reconnecting
                    : connecting > 0 ? ClientConnectionState.Connecting
                    : ClientConnectionState.Unreachable;
            }
        }
    }

    /// <summary>Why the last attempt failed or the last connection went away; null once a connection is ready again.</summary>
    public Exception? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Records the state of one of the client's connections (<paramref name="source"/>); closed ones leave the count.</summary>
    public void Report(object source, ClientConnectionState state)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            if (state == ClientConnectionState.Closed)
            {
                _states.Remove(source);
            }
            else
            {
                _states[source] = state;
            }
        }
    }

    /// <summary>Logs the event under its id and publishes it.</summary>
    public void Publish(ClientConnectionEventKind kind, string server, Exception? reason = null, string? detail = null, int attempt = 0, TimeSpan? delay = null, bool quiet = false)
    {
        var reasonText = reason?.Message ?? "(no reason given)";
        switch (kind)
        {
            case ClientConnectionEventKind.Connected: ClientLog.Connected(Logger, Backend, server); break;
            case ClientConnectionEventKind.Reconnected: ClientLog.Reconnected(Logger, Backend, server); break;
            case ClientConnectionEventKind.Disconnected: ClientLog.Disconnected(Logger, quiet ? LogLevel.Debug : LogLevel.Warning, Backend, server, reasonText); break;
            case ClientConnectionEventKind.ConnectFailed: ClientLog.ConnectFailed(Logger, quiet ? LogLevel.Debug : LogLevel.Warning, Backend, server, reasonText); break;
            case ClientConnectionEventKind.ReconnectScheduled: ClientLog.ReconnectScheduled(Logger, Backend, server, (long)(delay ?? TimeSpan.Zero).TotalMilliseconds, attempt); break;
            case ClientConnectionEventKind.GaveUp: ClientLog.GaveUp(Logger, Backend, server, reasonText); break;
            case ClientConnectionEventKind.Closed: ClientLog.Closed(Logger, Backend, server); break;
            case ClientConnectionEventKind.PrimaryChanged: ClientLog.PrimaryChanged(Logger, Backend, server, detail); break;
            case ClientConnectionEventKind.Resubscribed: ClientLog.Resubscribed(Logger, Backend, server, detail); break;
            case ClientConnectionEventKind.Recovered: ClientLog.Recovered(Logger, Backend, server, detail); break;
        }

        var e = new ClientConnectionEvent(kind, Backend, server, _now()) { Reason = reason, Detail = detail, Attempt = attempt, Delay = delay };
        lock (_gate)
        {
            if (kind is ClientConnectionEventKind.Connected or ClientConnectionEventKind.Reconnected)
            {
                _lastError = null;
            }
            else if (reason is not null)
            {
                _lastError = reason;
            }

            if (_completed)
            {
                return;
            }

            // Connections on different loops report concurrently; an observer sees one event at a time.
            _events.OnNext(e);
        }
    }

    /// <summary>Ends <see cref="Events"/> and reports <see cref="ClientConnectionState.Closed"/>: the client was disposed.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _states.Clear();
            _events.OnCompleted();
        }
    }
}
