namespace ReactiveKv.Pegasus;

/// <summary>
/// A Pegasus cluster as the reactor sees it: meta servers to ask where partitions live, and one multiplexed
/// connection per server, opened on first use. Open a <see cref="PegasusTable"/> to read and write.
/// All of its state lives on one loop of the reactor.
/// </summary>
public sealed class PegasusClient : IPegasusClient
{
    private readonly Dictionary<string, PegasusSession> _sessions = [];
    private readonly MetaResolver _meta;

    private PegasusClient(Reactor reactor, PegasusOptions options)
    {
        Reactor = reactor;
        Options = options with { Monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, PegasusErrors.Instance.Backend) };
        Loop = reactor.Loops.Pick(options.Loop);
        _meta = new MetaResolver(this, Options.MetaServers);
    }

    /// <summary>The loop the client's connections and state live on.</summary>
    public EventLoop Loop { get; }

    /// <inheritdoc />
    public PegasusOptions Options { get; }

    /// <inheritdoc />
    public ClientConnectionState ConnectionState => ConnectionMonitor.State;

    /// <inheritdoc />
    public Exception? LastConnectionError => ConnectionMonitor.LastError;

    /// <inheritdoc />
    public IObservable<ClientConnectionEvent> ConnectionEvents => ConnectionMonitor.Events;

    /// <summary>Where every connection of the client reports its events and state.</summary>
    public ClientConnectionMonitor ConnectionMonitor => Options.Monitor!;

    internal Reactor Reactor { get; }

    /// <summary>A client for the cluster; nothing connects until a table is opened.</summary>
    public static PegasusClient Create(Reactor reactor, PegasusOptions options) => new(reactor, options);

    /// <summary>A client from a <c>pegasus://meta1:port,meta2:port/table</c> URL.</summary>
    public static PegasusClient Create(Reactor reactor, string url) => new(reactor, PegasusOptions.Parse(url));

    /// <summary>
    /// Creates a client and connects now: to the first meta server, and when the options name a table, through a
    /// meta query for it. Fails with the connect error (or at once if the reactor is not running).
    /// </summary>
    public static Task<PegasusClient> ConnectAsync(Reactor reactor, PegasusOptions options, CancellationToken cancellationToken = default) =>
        ConnectableClient.ConnectOrDisposeAsync(new PegasusClient(reactor, options), cancellationToken);

    /// <summary>Creates a client for <c>pegasus://meta1:34601,meta2:34601/table</c> and connects now.</summary>
    public static Task<PegasusClient> ConnectAsync(Reactor reactor, string url, CancellationToken cancellationToken = default) =>
        ConnectAsync(reactor, PegasusOptions.Parse(url), cancellationToken);

    /// <summary>Connects to the first meta server now (and opens the options' table, if they name one).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (!Loop.IsRunning)
        {
            throw new ReactorNotRunningException("Cannot connect to Pegasus: the reactor is not running. Start it first (reactor.Start(), Reactor.React or AddReactor in a host).");
        }

        var session = await Loop.InvokeAsync(() => Session(Options.MetaServers[0])).ConfigureAwait(false);
        await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (Options.Table is { } table)
        {
            await OpenTable(table).ToTask(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queries the table's configuration and fires with it ready to use; fails if the table does not exist.</summary>
    /// <param name="table">The table's name; null for the options' <see cref="PegasusOptions.Table"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the table: the Deferred fails with <see cref="OperationCanceledException"/>.</param>
    public Deferred<PegasusTable> OpenTable(string? table = null, CancellationToken cancellationToken = default)
    {
        var name = table ?? Options.Table ?? throw new ArgumentException("No table given, and the options name none.", nameof(table));
        return OnLoop(async () =>
        {
            var configuration = await _meta.QueryAsync(name);
            return new PegasusTable(this, name, configuration);
        }, cancellationToken);
    }

    /// <inheritdoc />
    Deferred<IPegasusTable> IPegasusClient.OpenTable(string? table, CancellationToken cancellationToken) =>
        OpenTable(table, cancellationToken).Then<IPegasusTable>(static opened => opened);

    /// <summary>Closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        // After the reactor stopped nothing else runs on the loop: close here rather than post to a loop that never runs again.
        if (Loop.IsRunning && !Loop.IsLoopThread)
        {
            await Loop.InvokeAsync(CloseSessions).ConfigureAwait(false);
        }
        else
        {
            CloseSessions();
        }

        ConnectionMonitor.Complete();
    }

    private void CloseSessions()
    {
        foreach (var session in _sessions.Values)
        {
            session.Close();
        }

        _sessions.Clear();
    }

    internal PegasusSession Session(string address)
    {
        if (!_sessions.TryGetValue(address, out var session))
        {
            var colon = address.LastIndexOf(':');
            session = new PegasusSession(Reactor, Loop, address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), Options);
            _sessions[address] = session;
        }

        return session;
    }

    internal Task<TableConfiguration> QueryAsync(string table) => _meta.QueryAsync(table);

    /// <summary>
    /// Runs an async flow on the client's loop (its awaits resume there) and exposes it as a Deferred. A cancelled
    /// token keeps the flow from starting; a token cancelled later fails the Deferred at once, while the flow runs to its
    /// end (a request already sent gets its reply, matched by sequence id, and the result is dropped).
    /// </summary>
    internal Deferred<T> OnLoop<T>(Func<Task<T>> flow, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            var cancelled = new Deferred<T>();
            cancelled.Cancel();
            return cancelled;
        }

        return OnLoopCore(flow).WithCancellation(cancellationToken);
    }

    private Deferred<T> OnLoopCore<T>(Func<Task<T>> flow)
    {
        // The loop does not carry the caller's context: its activity goes along, so the RPCs' activities are its children.
        if (PegasusTelemetry.Instance.Source.HasListeners() && System.Diagnostics.Activity.Current is { } caller)
        {
            return Deferred.FromTask(Loop.InvokeAsync(() => UnderAsync(caller, flow)).Unwrap());
        }

        return Deferred.FromTask(Loop.InvokeAsync(flow).Unwrap());
    }

    // Async, so the caller's activity is current for the flow and its continuations only, not left on the loop thread.
    private static async Task<T> UnderAsync<T>(System.Diagnostics.Activity caller, Func<Task<T>> flow)
    {
        System.Diagnostics.Activity.Current = caller;
        return await flow().ConfigureAwait(false);
    }
}
