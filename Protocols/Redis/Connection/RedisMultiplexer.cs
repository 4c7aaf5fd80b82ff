namespace ReactiveKv.Redis;

/// <summary>
/// One logical connection shared by every caller (StackExchange.Redis's multiplexer): the reactor's
/// <see cref="ClientConnectionService{TProtocol, TRequest}"/> carrying <see cref="RedisCommand"/>s over
/// <see cref="RedisProtocol"/>, plus what only Redis needs: the HELLO/AUTH/SETNAME handshake, the RESP version and
/// pushes. Commands are written in call order and answered in that order.
/// </summary>
internal sealed class RedisMultiplexer : IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly ClientConnectionService<RedisProtocol, RedisCommand> _service;
    private readonly bool _readOnly;
    private readonly SentinelResolver? _sentinel;
    private ResolvingConnector? _resolving;
    private RedisProtocol? _current;
    private (string Host, int Port)? _currentAddress;

    /// <param name="reactor">The reactor.</param>
    /// <param name="options">The options.</param>
    /// <param name="subscriber">A pub/sub connection.</param>
    /// <param name="lazy">Connect on first use.</param>
    /// <param name="readOnly">A cluster replica's connection: READONLY after the handshake.</param>
    /// <param name="sentinel">With sentinel options: the client's resolver, asked before every connect.</param>
    /// <param name="monitor">A MONITOR connection: every reply after MONITOR's is a monitor line.</param>
    /// <param name="onLoop">The loop to live on (a cluster's node connections share the seed's when the client caches); default: the reactor's next.</param>
    public RedisMultiplexer(Reactor reactor, RedisOptions options, bool subscriber = false, bool lazy = false, bool readOnly = false, SentinelResolver? sentinel = null, bool monitor = false, EventLoop? onLoop = null)
    {
        _options = options;
        _readOnly = readOnly;
        _sentinel = options.Sentinels.Count > 0 && options.ConnectWith is null
            ? sentinel ?? throw new ArgumentException("Sentinel options need the client's SentinelResolver.", nameof(sentinel))
            : null;
        var transport = reactor.Options.Transport with
        {
            KeepAlive = options.KeepAlive,
            MaxBufferedReadBytes = Math.Max(reactor.Options.Transport.MaxBufferedReadBytes, options.Limits.MaxBulkLength + (64 << 10)),
        };
        _service = new ClientConnectionService<RedisProtocol, RedisCommand>(
            reactor,
            options.Connection(lazy),
            RedisErrors.Instance,
            options.Describe(),
            options.ConnectWith ?? (_sentinel is { } resolver
                ? (factory, loop) => _resolving = new ResolvingConnector(loop, factory, resolver.ResolveAsync, (host, port, f, l) => Connect(reactor, options with { Host = host, Port = port }, f, transport, l))
                : (factory, loop) => Connect(reactor, options, factory, transport, loop)),
            () =>
            {
                // Built on the loop as a connection is made: remember it and where it goes, for a failover to close.
                var protocol = new RedisProtocol(options.Limits, subscriber, monitor)
                {
                    Handshake = HandshakeAsync,
                    PushReceived = (in RawReply push) => PushReceived?.Invoke(push),
                    Lost = () => ConnectionLost?.Invoke(),
                };
                _current = protocol;
                _currentAddress = _resolving?.Resolved;
                return protocol;
            },
            onLoop,
            RedisTelemetry.Instance);
        _service.Ready = (_, first) => Ready?.Invoke(first);
        _sentinel?.Follow(this);
    }

    public EventLoop Loop => _service.Loop;

    /// <summary>2 or 3 once connected.</summary>
    public int Protocol { get; private set; }

    /// <summary>What HELLO said the server is (<c>standalone</c>, <c>cluster</c>, <c>sentinel</c>); null before it answered or in RESP2.</summary>
    public string? Mode { get; private set; }

    /// <summary>The server as this connection names it (host:port).</summary>
    public string Endpoint => _options.Describe();

    /// <summary>Runs on the loop when the connection is lost or a connect attempt fails.</summary>
    public Action<Exception>? Down
    {
        get => _service.Down;
        set => _service.Down = value;
    }

    /// <summary>Takes the commands not yet written (loop thread), for a router to send elsewhere.</summary>
    public int TakeBacklog(Action<IReadOnlyList<RedisCommand>> each) => _service.TakeBacklog(each);

    public bool IsConnected => _service.IsConnected;

    /// <summary>Runs on the loop after every successful handshake (first connect and reconnects).</summary>
    public Action<bool>? Ready { get; set; }

    public PushHandler? PushReceived { get; set; }

    /// <summary>Runs on the loop when a connection is lost (before any reconnect).</summary>
    public Action? ConnectionLost { get; set; }

    /// <summary>Runs at the end of every handshake, with the RESP version, before any command is written (CLIENT TRACKING).</summary>
    public Func<int, Func<string, RedisValue[], Task>, Task>? AfterHandshake { get; set; }

    /// <summary>Commands whose default deadline is still tracked; answered ones leave as their replies arrive. Loop thread.</summary>
    internal int TrackedDeadlines => _service.TrackedDeadlines;

    public string Describe() => _options.Describe();

    /// <summary>Connects if needed and completes once a connection is ready.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => _service.ConnectAsync(cancellationToken);

    public Deferred<T> Submit<T>(RedisCommand<T> command, TimeSpan? timeout = null)
    {
        _service.Submit(command, command.Blocking ? timeout ?? Timeout.InfiniteTimeSpan : timeout);
        return command.Result;
    }

    /// <summary>Sends a command of any result type (the cluster router's resends).</summary>
    public void Send(RedisCommand command, TimeSpan? timeout) => _service.Submit(command, command.Blocking ? timeout ?? Timeout.InfiniteTimeSpan : timeout);

    /// <summary>Writes the group back to back, once, with nothing between its commands.</summary>
    public void SubmitGroup(IReadOnlyList<RedisCommand> group, TimeSpan? timeout = null) => _service.SubmitGroup(group, timeout);

    /// <summary>Sends a command that is answered out of band (subscriber connections); dropped while disconnected.</summary>
    public void SendNoReply(RedisCommand command) => Loop.Execute(() => _service.Connection?.SendNoReply(command));

    public ValueTask DisposeAsync()
    {
        _sentinel?.Unfollow(this);
        return _service.DisposeAsync();
    }

    /// <summary>
    /// The sentinels moved the primary to <paramref name="host"/>:<paramref name="port"/>: a connection to anywhere else
    /// is aborted (nothing more is written to the old primary), so the service reconnects after its backoff and looks
    /// the primary up again; its unwritten commands wait in the backlog, written ones fail as "may have executed".
    /// Any thread.
    /// </summary>
    public void PrimaryMoved(string host, int port) => Loop.Execute(() =>
    {
        if (_current is { Connected: true } connection && _currentAddress != (host, port))
        {
            connection.Transport.AbortConnection();
        }
    });

    internal static IConnector Connect(Reactor reactor, RedisOptions options, IClientFactory factory, TransportOptions transport, EventLoop loop) =>
        options.UnixSocket is { } path
            ? reactor.ConnectUnix(path, factory, options.ConnectTimeout, transport, loop)
            : options.UseTls
                ? reactor.ConnectTls(options.Host, options.Port, factory, TlsOptions(options), options.ConnectTimeout, transport, loop)
                : reactor.ConnectTcp(options.Host, options.Port, factory, options.ConnectTimeout, transport, loop);

    private async Task HandshakeAsync(RedisProtocol connection)
    {
        connection.CurrentDatabase = 0;
        var protocol = await NegotiateAsync(connection);
        if (_sentinel is { } sentinel)
        {
            await sentinel.CheckPrimaryAsync(connection, ReferenceEquals(connection, _current) ? _currentAddress : null);
        }

        if (_readOnly)
        {
            // A replica answers reads of its slots only after READONLY; without it every read is MOVED to the primary.
            await Handshake(connection, "READONLY", []);
        }

        Protocol = protocol;
        if (AfterHandshake is { } after)
        {
            await after(Protocol, async (name, arguments) => await Handshake(connection, name, arguments));
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
                var reply = await Handshake(connection, "HELLO", [.. hello]);
                Mode = ModeOf(reply);
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

    private static string? ModeOf(RespValue hello)
    {
        foreach (var (name, value) in hello.Pairs())
        {
            if (name.Text == "mode")
            {
                return value.Text;
            }
        }

        return null;
    }

    private static Deferred<RespValue> Handshake(RedisProtocol connection, string name, RedisValue[] arguments)
    {
        var command = new RedisCommand<RespValue>(name, -1, arguments, Replies.Any);
        connection.SendHandshake(command);
        return command.Result;
    }

    private static System.Net.Security.SslClientAuthenticationOptions TlsOptions(RedisOptions options) => TlsClientOptions.ForHost(options.Tls, options.Host);
}
