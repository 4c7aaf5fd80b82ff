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

    public RedisMultiplexer(Reactor reactor, RedisOptions options, bool subscriber = false, bool lazy = false, bool monitor = false)
    {
        _options = options;
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
            options.ConnectWith ?? ((factory, loop) => Connect(reactor, options, factory, transport, loop)),
            () => new RedisProtocol(options.Limits, subscriber, monitor)
            {
                Handshake = HandshakeAsync,
                PushReceived = (in RawReply push) => PushReceived?.Invoke(push),
                Lost = () => ConnectionLost?.Invoke(),
            });
        _service.Ready = (_, first) => Ready?.Invoke(first);
    }

    public EventLoop Loop => _service.Loop;

    /// <summary>2 or 3 once connected.</summary>
    public int Protocol { get; private set; }

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

    /// <summary>Writes the group back to back, once, with nothing between its commands.</summary>
    public void SubmitGroup(IReadOnlyList<RedisCommand> group, TimeSpan? timeout = null) => _service.SubmitGroup(group, timeout);

    /// <summary>Sends a command that is answered out of band (subscriber connections); dropped while disconnected.</summary>
    public void SendNoReply(RedisCommand command) => Loop.Execute(() => _service.Connection?.SendNoReply(command));

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private static IConnector Connect(Reactor reactor, RedisOptions options, IClientFactory factory, TransportOptions transport, EventLoop loop) =>
        options.UnixSocket is { } path
            ? reactor.ConnectUnix(path, factory, options.ConnectTimeout, transport, loop)
            : options.UseTls
                ? reactor.ConnectTls(options.Host, options.Port, factory, TlsOptions(options), options.ConnectTimeout, transport, loop)
                : reactor.ConnectTcp(options.Host, options.Port, factory, options.ConnectTimeout, transport, loop);

    private async Task HandshakeAsync(RedisProtocol connection)
    {
        connection.CurrentDatabase = 0;
        Protocol = await NegotiateAsync(connection);
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

    private static Deferred<RespValue> Handshake(RedisProtocol connection, string name, RedisValue[] arguments)
    {
        var command = new RedisCommand<RespValue>(name, -1, arguments, Replies.Any);
        connection.SendHandshake(command);
        return command.Result;
    }

    private static System.Net.Security.SslClientAuthenticationOptions TlsOptions(RedisOptions options) => TlsClientOptions.ForHost(options.Tls, options.Host);
}
