using System.Globalization;

namespace ReactiveKv.Redis;

/// <summary>
/// Where a Redis Sentinel service's primary is, for every connection of one client (the shared multiplexer, the
/// pub/sub connection and the dedicated pool): <see cref="ResolveAsync"/> asks the sentinels in turn
/// (<c>SENTINEL GET-MASTER-ADDR-BY-NAME</c>), starting with the one that answered last; <see cref="CheckPrimaryAsync"/>
/// makes each handshake confirm with <c>ROLE</c> that the server is the primary; and a reconnecting subscription to
/// <c>+switch-master</c> on a sentinel closes the connections that are on the old primary, so they look up again and
/// reconnect (the service's loss rules apply: unwritten commands wait in the backlog, written ones fail as "may have
/// executed"). Sentinel connections are reactor connections like any other: nothing here blocks a loop.
/// </summary>
internal sealed class SentinelResolver : IAsyncDisposable
{
    private const string SwitchMaster = "+switch-master";
    private readonly Reactor _reactor;
    private readonly RedisOptions _options;
    private readonly string _name;
    private readonly RedisMultiplexer?[] _sentinels;
    private readonly List<RedisMultiplexer> _followers = [];
    private readonly object _gate = new();
    private RedisSubscriber? _events;
    private IDisposable? _subscription;
    private int _first;
    private int _lookups;
    private int _nextEventSentinel;
    private int _eventSentinel;
    private bool _disposed;
    private volatile Address? _primary;

    public SentinelResolver(Reactor reactor, RedisOptions options)
    {
        _reactor = reactor;
        _options = options;
        _name = options.SentinelServiceName ?? throw new ArgumentException("Sentinel options need the master's name (SentinelServiceName).", nameof(options));
        if (options.Sentinels.Count == 0)
        {
            throw new ArgumentException("Sentinel options need at least one sentinel.", nameof(options));
        }

        _sentinels = new RedisMultiplexer?[options.Sentinels.Count];
    }

    /// <summary>The primary as last named by a sentinel (a lookup or a <c>+switch-master</c>); null before the first.</summary>
    public (string Host, int Port)? Primary => _primary is { } p ? (p.Host, p.Port) : null;

    /// <summary>Lookups started so far (every connect and reconnect of every connection makes one); for diagnostics and tests.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>Asks the sentinels in turn for the primary's address; fails with <see cref="RedisConnectionException"/> when none names one.</summary>
    public async Task<(string Host, int Port)> ResolveAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        FollowFailovers();
        var errors = new List<string>();
        var first = Volatile.Read(ref _first);
        for (var i = 0; i < _sentinels.Length; i++)
        {
            var index = (first + i) % _sentinels.Length;
            var (host, port) = _options.Sentinels[index];
            try
            {
                var command = new RedisCommand<string?[]>("SENTINEL", -1, ["GET-MASTER-ADDR-BY-NAME", _name], Replies.Strings);
                var reply = await Sentinel(index).Submit(command, _options.ConnectTimeout).WithCancellation(cancellationToken);
                if (reply is [{ } primaryHost, { } portText] && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var primaryPort))
                {
                    Volatile.Write(ref _first, index);
                    _primary = new Address(primaryHost, primaryPort);
                    return (primaryHost, primaryPort);
                }

                errors.Add($"{host}:{port} monitors no master named '{_name}'");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"{host}:{port}: {e.Message}");
            }
        }

        throw new RedisConnectionException($"No sentinel named the primary of '{_name}': {string.Join("; ", errors)}.", mayHaveExecuted: false);
    }

    /// <summary>
    /// Part of every handshake on a data connection: fails (so the service drops the connection and asks the sentinels
    /// again after its backoff) unless the server says ROLE master and is still where the sentinels last said the primary is.
    /// </summary>
    public async Task CheckPrimaryAsync(RedisProtocol connection, (string Host, int Port)? connectedTo)
    {
        var command = new RedisCommand<string?>("ROLE", -1, [], FirstElement);
        connection.SendHandshake(command);
        var role = await command.Result;
        var where = connectedTo is { } at ? $"{at.Host}:{at.Port}" : "the server";
        if (role != "master")
        {
            throw new RedisConnectionException(
                $"{where} says ROLE {role ?? "(nothing)"}, not master: it is not the primary of '{_name}' (a failover may be under way); the sentinels will be asked again.",
                mayHaveExecuted: false);
        }

        // A lookup answered before a +switch-master arrived may have led here: the old primary answers master until
        // the sentinels demote it, and writes it takes meanwhile are lost.
        if (connectedTo is { } target && _primary is { } primary && (primary.Host != target.Host || primary.Port != target.Port))
        {
            throw new RedisConnectionException(
                $"{where} says ROLE master, but the sentinels now name {primary.Host}:{primary.Port} the primary of '{_name}'; the sentinels will be asked again.",
                mayHaveExecuted: false);
        }
    }

    /// <summary>Closes <paramref name="connection"/>'s server connection when a failover moves the primary elsewhere. Any thread.</summary>
    public void Follow(RedisMultiplexer connection)
    {
        lock (_gate)
        {
            _followers.Add(connection);
        }
    }

    /// <summary>Stops following (the connection was disposed). Any thread.</summary>
    public void Unfollow(RedisMultiplexer connection)
    {
        lock (_gate)
        {
            _followers.Remove(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        RedisMultiplexer?[] sentinels;
        RedisSubscriber? events;
        IDisposable? subscription;
        lock (_gate)
        {
            _disposed = true;
            sentinels = [.. _sentinels];
            events = _events;
            subscription = _subscription;
            _events = null;
            _subscription = null;
        }

        subscription?.Dispose();
        if (events is not null)
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var sentinel in sentinels)
        {
            if (sentinel is not null)
            {
                await sentinel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string? FirstElement(in RawReply reply)
    {
        if (!reply.IsAggregate || reply.Count < 1)
        {
            return null;
        }

        var children = reply.Children();
        children.MoveNext();
        return children.Current.Text();
    }

    /// <summary>The query connection to sentinel <paramref name="index"/>: lazy, and failing fast while it is unreachable so the next sentinel is asked.</summary>
    private RedisMultiplexer Sentinel(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _sentinels[index] ??= new RedisMultiplexer(_reactor, SentinelOptions(index), lazy: true);
        }
    }

    private RedisOptions SentinelOptions(int index) => new()
    {
        Host = _options.Sentinels[index].Host,
        Port = _options.Sentinels[index].Port,
        Password = _options.SentinelPassword,
        UseTls = _options.UseTls,
        Tls = _options.Tls,
        ConnectTimeout = _options.ConnectTimeout,
        OperationTimeout = _options.ConnectTimeout,
        Reconnect = _options.Reconnect,
        DisconnectedBehavior = DisconnectedBehavior.FailFast,
        KeepAlive = _options.KeepAlive,
    };

    /// <summary>
    /// Starts, once, the subscription to <c>+switch-master</c>: a subscriber connection whose every (re)connect goes to
    /// the next sentinel in turn, so a dead sentinel does not end the following.
    /// </summary>
    private void FollowFailovers()
    {
        lock (_gate)
        {
            if (_events is not null || _disposed)
            {
                return;
            }

            var options = SentinelOptions(0) with
            {
                DisconnectedBehavior = DisconnectedBehavior.Queue,
                ConnectWith = (factory, loop) => new ResolvingConnector(loop, factory, _ => Task.FromResult(NextEventSentinel()), ConnectTo),
            };
            _events = new RedisSubscriber(_reactor, options);

            // Under the lock, so a DisposeAsync running meanwhile finds the subscription to end.
            _subscription = _events.Subscribe(RedisSubscriber.Family.Channel, [SwitchMaster]).Subscribe(OnEvent, _ => { });
        }

        IConnector ConnectTo(string host, int port, IClientFactory factory, EventLoop loop) =>
            RedisMultiplexer.Connect(_reactor, SentinelOptions(0) with { Host = host, Port = port }, factory, _reactor.Options.Transport with { KeepAlive = _options.KeepAlive }, loop);
    }

    private (string Host, int Port) NextEventSentinel()
    {
        var index = (int)((uint)(Interlocked.Increment(ref _nextEventSentinel) - 1) % (uint)_options.Sentinels.Count);
        Volatile.Write(ref _eventSentinel, index);
        return _options.Sentinels[index];
    }

    private void OnEvent(RedisMessage message)
    {
        switch (message.Kind)
        {
            case RedisMessageKind.Message:
                // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                var parts = message.Text.Split(' ');
                if (parts.Length == 5 && parts[0] == _name && int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    // Lookups go first to the sentinel that announced the switch: another may not have heard of it yet
                    // and would send the connections straight back to the old primary, which says master until demoted.
                    Volatile.Write(ref _first, Volatile.Read(ref _eventSentinel));
                    Moved(new Address(parts[3], port));
                }

                break;
            case RedisMessageKind.Gap:
                // The sentinel connection was lost: a switch may have been announced meanwhile, so ask.
                _ = RecheckAsync();
                break;
        }
    }

    private async Task RecheckAsync()
    {
        var before = _primary;
        try
        {
            var (host, port) = await ResolveAsync(CancellationToken.None).ConfigureAwait(false);
            if (before is not null && (before.Host != host || before.Port != port))
            {
                Moved(new Address(host, port));
            }
        }
        catch (Exception e) when (e is RedisConnectionException or ObjectDisposedException)
        {
            // No sentinel answers now; every connection asks again when it next connects.
        }
    }

    private void Moved(Address primary)
    {
        _primary = primary;
        _options.Monitor?.Publish(ClientConnectionEventKind.PrimaryChanged, $"{primary.Host}:{primary.Port}", detail: $"{primary.Host}:{primary.Port} (primary of '{_name}')");
        RedisMultiplexer[] followers;
        lock (_gate)
        {
            followers = [.. _followers];
        }

        foreach (var follower in followers)
        {
            follower.PrimaryMoved(primary.Host, primary.Port);
        }
    }

    private sealed record Address(string Host, int Port);
}
