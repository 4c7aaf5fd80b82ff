using System.Net;
using Microsoft.Extensions.Logging;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>
/// An in-memory Pegasus cluster on the reactor, speaking the THFT wire protocol: meta servers that answer partition
/// configuration queries (both the pre-2.5 and the current format) and replica servers that serve every client RPC
/// with the C++ server's semantics (lazy TTL on the 2016 epoch, multi_get limits and filters, scanner contexts that
/// change every batch, clear_scanner unanswered). For tests it injects faults: header errors, dropped replies,
/// reset connections, moved primaries, forwarding among metas. Loopback only.
/// </summary>
public sealed class PegasusServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ServerTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> _failures = [];
    private readonly Dictionary<string, int> _drops = [];
    private readonly Dictionary<string, long> _requests = [];
    private readonly HashSet<ServerConnection> _connections = [];
    private readonly List<IListeningPort> _ports = [];
    private readonly ReplicaService _replica;
    private int _nextAppId = 1;
    private int _leaderMeta;

    private PegasusServer(Reactor reactor, PegasusServerOptions options)
    {
        Options = options;
        Logger = reactor.Logger;
        _replica = new ReplicaService(options, options.Clock ?? reactor.Clock, _gate);
    }

    // Replica addresses the metas hand out instead of the listening ones (a proxy in front of a replica); guarded by _gate.
    private readonly Dictionary<int, IPEndPoint> _announced = [];

    /// <summary>Where the meta servers listen.</summary>
    public IReadOnlyList<IPEndPoint> MetaEndpoints { get; private set; } = [];

    /// <summary>Where the replica servers listen.</summary>
    public IReadOnlyList<IPEndPoint> ReplicaEndpoints { get; private set; } = [];

    /// <summary>The metas as a client takes them: <c>127.0.0.1:p1,127.0.0.1:p2</c>.</summary>
    public string MetaList => string.Join(',', MetaEndpoints.Select(e => $"{e.Address}:{e.Port}"));

    /// <summary>Index of the leader meta; the others answer ERR_FORWARD_TO_OTHERS naming it.</summary>
    public int LeaderMeta
    {
        get => Volatile.Read(ref _leaderMeta);
        set => Volatile.Write(ref _leaderMeta, value);
    }

    /// <summary>
    /// Scanner contexts the replicas hold open: each lives until its connection closes, a scan or clear_scanner
    /// consumes it, or it idles for <see cref="PegasusServerOptions.ScanContextIdleTimeout"/>.
    /// </summary>
    public int LiveScanContexts
    {
        get
        {
            lock (_gate)
            {
                return _replica.ContextCount;
            }
        }
    }

    internal PegasusServerOptions Options { get; }

    internal ILogger Logger { get; }

    /// <summary>Starts the metas and replicas on loopback and creates the configured tables; stop it with <see cref="DisposeAsync"/>.</summary>
    public static async Task<PegasusServer> StartAsync(Reactor reactor, PegasusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= new PegasusServerOptions();
        if (options.Partitions < 1 || (options.Partitions & (options.Partitions - 1)) != 0)
        {
            throw new ArgumentException($"The partition count must be a power of two; {options.Partitions} is not.", nameof(options));
        }

        if (options.Replicas < 1 || options.Metas < 1)
        {
            throw new ArgumentException("A Pegasus server needs at least one meta and one replica.", nameof(options));
        }

        if (options.MaxScanContexts < 1 || options.ScanContextIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("A Pegasus server needs room for at least one scanner context and a positive idle timeout.", nameof(options));
        }

        var server = new PegasusServer(reactor, options);
        try
        {
            server.Listen(reactor);
        }
        catch
        {
            // A port that could not be bound must not leave the ones already bound listening.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private void Listen(Reactor reactor)
    {
        var metas = new List<IPEndPoint>();
        for (var i = 0; i < Options.Metas; i++)
        {
            var index = i;
            var port = reactor.ListenTcp(i == 0 ? Options.MetaPort : 0, new ServerFactory(() => new ServerConnection(this, true, index)), Options.Limits, Options.MaxFrameBytes);
            _ports.Add(port);
            metas.Add(new IPEndPoint(IPAddress.Loopback, port.Port));
        }

        var replicas = new List<IPEndPoint>();
        for (var i = 0; i < Options.Replicas; i++)
        {
            var index = i;
            var port = reactor.ListenTcp(0, new ServerFactory(() => new ServerConnection(this, false, index)), Options.Limits, Options.MaxFrameBytes);
            _ports.Add(port);
            replicas.Add(new IPEndPoint(IPAddress.Loopback, port.Port));
        }

        MetaEndpoints = metas;
        ReplicaEndpoints = replicas;
        foreach (var table in Options.Tables)
        {
            CreateTable(table, Options.Partitions);
        }
    }

    /// <summary>Creates an empty table with <paramref name="partitions"/> partitions (a power of two).</summary>
    public void CreateTable(string name, int partitions)
    {
        if (partitions < 1 || (partitions & (partitions - 1)) != 0)
        {
            throw new ArgumentException($"The partition count must be a power of two; {partitions} is not.", nameof(partitions));
        }

        lock (_gate)
        {
            _tables[name] = new ServerTable(name, _nextAppId++, partitions, Options.Replicas);
        }
    }

    /// <summary>The id of a table.</summary>
    public int AppId(string table)
    {
        lock (_gate)
        {
            return _tables[table].AppId;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests named <paramref name="rpcName"/> with <paramref name="headerError"/> and no body.</summary>
    public void FailNext(string rpcName, string headerError, int count = 1)
    {
        lock (_gate)
        {
            var queue = _failures.TryGetValue(rpcName, out var existing) ? existing : _failures[rpcName] = new Queue<string>();
            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(headerError);
            }
        }
    }

    /// <summary>Reads the next <paramref name="count"/> requests named <paramref name="rpcName"/> and never answers them.</summary>
    public void DropNext(string rpcName, int count = 1)
    {
        lock (_gate)
        {
            _drops[rpcName] = _drops.GetValueOrDefault(rpcName) + count;
        }
    }

    /// <summary>Resets every client connection to the replicas (the clients see ERR_SESSION_RESET).</summary>
    public void CloseConnections()
    {
        ServerConnection[] replicas;
        lock (_gate)
        {
            replicas = [.. _connections.Where(c => !c.IsMeta)];
        }

        foreach (var connection in replicas)
        {
            connection.Transport.AbortConnection();
        }
    }

    /// <summary>
    /// Makes the metas announce <paramref name="announced"/> as replica <paramref name="replicaIndex"/>'s address (in
    /// query_config answers and the replica's own server field) while it keeps listening on its
    /// <see cref="ReplicaEndpoints"/> entry, as a server behind NAT announces its public address. Tests put a
    /// <c>FaultProxy</c> in front of a replica this way: clients learn replica addresses only from the metas.
    /// </summary>
    public void AnnounceReplica(int replicaIndex, IPEndPoint announced)
    {
        ArgumentNullException.ThrowIfNull(announced);
        ArgumentOutOfRangeException.ThrowIfNegative(replicaIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(replicaIndex, Options.Replicas);
        lock (_gate)
        {
            _announced[replicaIndex] = announced;
        }
    }

    /// <summary>The replica addresses the metas announce: <see cref="ReplicaEndpoints"/> unless <see cref="AnnounceReplica"/> replaced some.</summary>
    public IReadOnlyList<IPEndPoint> AnnouncedReplicaEndpoints
    {
        get
        {
            lock (_gate)
            {
                return Announced();
            }
        }
    }

    /// <summary>Makes <paramref name="replicaIndex"/> the primary of a partition (with a new ballot); the old primary answers ERR_INVALID_STATE.</summary>
    public void MovePrimary(string table, int partitionIndex, int replicaIndex)
    {
        lock (_gate)
        {
            var t = _tables[table];
            t.Primaries[partitionIndex] = replicaIndex % Options.Replicas;
            t.Ballots[partitionIndex]++;
        }
    }

    /// <summary>Drops every open scanner context now, as if all had idled out (scanners must restart from their last key).</summary>
    public void ExpireScanContexts()
    {
        lock (_gate)
        {
            _replica.DropAllContexts();
        }
    }

    /// <summary>How many requests named <paramref name="rpcName"/> arrived (at any meta or replica).</summary>
    public long RequestCount(string rpcName)
    {
        lock (_gate)
        {
            return _requests.GetValueOrDefault(rpcName);
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var port in _ports)
        {
            await port.StopListening();
        }

        ServerConnection[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            connection.Transport.AbortConnection();
        }

        // No expiry timer may outlive the server on a clock that keeps running.
        lock (_gate)
        {
            _replica.DropAllContexts();
        }
    }

    internal void Track(ServerConnection connection, bool open)
    {
        lock (_gate)
        {
            if (open)
            {
                _connections.Add(connection);
            }
            else
            {
                _connections.Remove(connection);

                // Nobody can scan a closed connection's contexts again (ids are per connection in practice, and
                // clients restart a scanner from its last key after a reset), so they are freed now, not in 5 minutes.
                _replica.DropContextsOf(connection);
            }
        }
    }

    /// <summary>Handles one request: the frame's error, the response struct, and whether to answer at all.</summary>
    internal (string Error, IThriftMessage? Response, bool Reply) Dispatch(ServerConnection connection, RequestHeader header, string name, ref ThriftReader reader)
    {
        lock (_gate)
        {
            _requests[name] = _requests.GetValueOrDefault(name) + 1;
            if (_drops.TryGetValue(name, out var drops) && drops > 0)
            {
                _drops[name] = drops - 1;
                return (DsnErrors.Ok, null, false);
            }

            if (_failures.TryGetValue(name, out var failures) && failures.TryDequeue(out var failure))
            {
                return (failure, null, name != RpcNames.ClearScanner);
            }

            return connection.IsMeta
                ? DispatchMeta(connection.Index, header, name, ref reader)
                : DispatchReplica(connection, header, name, ref reader);
        }
    }

    private (string, IThriftMessage?, bool) DispatchMeta(int index, RequestHeader header, string name, ref ThriftReader reader)
    {
        if (name != RpcNames.QueryConfig || header.AppId > 0)
        {
            return (DsnErrors.HandlerNotFound, null, true);
        }

        var request = QueryConfigRequest.Read(ref reader);
        var leader = LeaderMeta % MetaEndpoints.Count;
        var answer = MetaService.Answer(request, _tables.GetValueOrDefault(request.AppName), index == leader, MetaEndpoints[leader], Announced(), Options.HostPortFields);
        return (DsnErrors.Ok, answer, true);
    }

    // Callers hold _gate.
    private IPEndPoint[] Announced() => [.. ReplicaEndpoints.Select((e, i) => _announced.GetValueOrDefault(i) ?? e)];

    private (string, IThriftMessage?, bool) DispatchReplica(ServerConnection connection, RequestHeader header, string name, ref ThriftReader reader)
    {
        var index = connection.Index;
        if (!ReplicaService.Knows(name))
        {
            return (DsnErrors.HandlerNotFound, null, true);
        }

        var table = _tables.Values.FirstOrDefault(t => t.AppId == header.AppId);
        if (table is null || header.PartitionIndex < 0 || header.PartitionIndex >= table.PartitionCount)
        {
            return (DsnErrors.ObjectNotFound, null, name != RpcNames.ClearScanner);
        }

        var partition = header.PartitionIndex;
        var primary = table.Primaries[partition] == index;
        var backupRead = header.IsBackupRequest && ReplicaService.IsRead(name) && table.Secondaries(partition, Options.Replicas).Contains(index);
        if (!primary && !backupRead)
        {
            return (DsnErrors.InvalidState, null, name != RpcNames.ClearScanner);
        }

        // Past the cap a new scanner is refused the way the real server refuses work under throttling; scans of
        // contexts already open go on (each consumes one context and opens at most one).
        if (name == RpcNames.GetScanner && _replica.ContextCount >= Options.MaxScanContexts)
        {
            return (DsnErrors.Busy, null, true);
        }

        var endpoint = _announced.GetValueOrDefault(index) ?? ReplicaEndpoints[index];
        var response = _replica.Handle(name, table, partition, $"{endpoint.Address}:{endpoint.Port}", connection, ref reader);
        return (DsnErrors.Ok, response, response is not null);
    }
}
