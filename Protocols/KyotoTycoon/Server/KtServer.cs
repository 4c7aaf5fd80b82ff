using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// An in-memory Kyoto Tycoon server on the reactor, one port for HTTP and the binary protocol (chosen per request by
/// its first byte), several databases (hash order or tree order). It serves the TSV-RPC procedures with ktserver's
/// rules and quirks (xt, ordered output, the colenc choice, 450 texts, increment byte formats), the REST methods,
/// and the binary set/remove/get_bulk. Loopback only.
/// </summary>
public sealed class KtServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<KtDatabase> _databases;
    private readonly KtRpc _rpc;
    private readonly IScheduler _clock;
    private readonly UpdateLog _log;
    private readonly MonotonicStamp _logStamp = new(1_000_000);
    private readonly MonotonicStamp _queueStamp = new(10_000);
    private readonly HashSet<KtServerConnection> _sessions = [];
    private long _acks;
    private IListeningPort? _port;
    private IListeningPort? _memcachedPort;

    private KtServer(Reactor reactor, KtServerOptions options)
    {
        Options = options;
        _clock = options.Clock ?? reactor.Clock;
        _log = new UpdateLog(options.UpdateLogFileBytes, options.UpdateLogMaxBytes);
        _databases = [.. options.Databases.Select((d, i) => new KtDatabase(d, i, Log))];
        _rpc = new KtRpc(_databases, () => Now, options);
    }

    /// <summary>Where it listens.</summary>
    public IPEndPoint Address => new(IPAddress.Loopback, _port!.Port);

    /// <summary>Where the memcached plugin listens, when it runs.</summary>
    public IPEndPoint? MemcachedAddress => _memcachedPort is { } port ? new(IPAddress.Loopback, port.Port) : null;

    /// <summary>Keep-alive acknowledgements received from replication slaves.</summary>
    public long ReplicationAcks => Interlocked.Read(ref _acks);

    /// <summary>Timestamp of the newest update-log record (0 before any write).</summary>
    public ulong LastTimestamp
    {
        get
        {
            lock (_gate)
            {
                return _log.LastTimestamp;
            }
        }
    }

    /// <summary>Drops every replication connection (slaves must reconnect from their last timestamp).</summary>
    public void CloseReplicationSessions()
    {
        KtServerConnection[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
        }

        foreach (var session in sessions)
        {
            session.Transport.AbortConnection();
        }
    }

    internal KtServerOptions Options { get; }

    private long Now => _clock.Now.ToUnixTimeSeconds();

    /// <summary>Starts listening on 127.0.0.1 (and the memcached plugin, if configured); stop it with <see cref="DisposeAsync"/>.</summary>
    public static async Task<KtServer> StartAsync(Reactor reactor, KtServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        cancellationToken.ThrowIfCancellationRequested();
        var server = new KtServer(reactor, options ?? new KtServerOptions());
        if (server.Options.MemcachedQueue && !server._databases[0].IsTree)
        {
            throw new ArgumentException("The memcached queue mode (opts=q) needs a tree database (such as '%') as DB 0.", nameof(options));
        }

        try
        {
            server._port = reactor.ListenTcp(server.Options.Port, new ServerFactory(() => new KtServerConnection(server)), server.Options.Limits, server.Options.MaxBodyBytes);
            if (server.Options.MemcachedPort is { } memcached)
            {
                server._memcachedPort = reactor.ListenTcp(memcached, new ServerFactory(() => new MemcachedConnection(server)), server.Options.Limits, BinaryProtocol.MaxFieldBytes);
            }
        }
        catch
        {
            // The HTTP port must not stay bound when the plugin's port could not be.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_port is not null)
        {
            await _port.StopListening();
        }

        if (_memcachedPort is not null)
        {
            await _memcachedPort.StopListening();
        }
    }

    internal KtHttpReply HandleHttp(string method, string target, Dictionary<string, string> headers, byte[] body, Dictionary<long, ServerCursor> cursors)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        return path.StartsWith("/rpc/", StringComparison.Ordinal)
            ? RunRpc(ParseRpc(target, headers, body)!, cursors)
            : Rest(method, path, headers, body);
    }

    /// <summary>The procedure and its inputs (bulk <c>_name</c> entries apart), or null for a REST path.</summary>
    internal RpcCall? ParseRpc(string target, Dictionary<string, string> headers, byte[] body)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        if (!path.StartsWith("/rpc/", StringComparison.Ordinal))
        {
            return null;
        }

        var procedure = Encoding.Latin1.GetString(ColumnEncoding.UrlDecode(Encoding.Latin1.GetBytes(path[5..])));
        var entries = new List<(byte[] Name, byte[] Value)>();
        if (question >= 0)
        {
            entries.AddRange(Form(target[(question + 1)..]));
        }

        var contentType = headers.GetValueOrDefault("content-type") ?? "";
        if (contentType.StartsWith(TsvBody.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            entries.AddRange(TsvBody.Parse(body, TsvBody.ColumnEncodingOf(contentType)));
        }
        else if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            entries.AddRange(Form(Encoding.Latin1.GetString(body)));
        }

        var input = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var bulk = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in entries)
        {
            if (name.Length > 0 && name[0] == '_')
            {
                bulk[Encoding.Latin1.GetString(name, 1, name.Length - 1)] = value;
            }
            else
            {
                input[Encoding.UTF8.GetString(name)] = value;
            }
        }

        return new RpcCall(procedure, input, bulk);
    }

    /// <summary>Runs the procedure, then signals its <c>SIGNAL</c> condition (the count goes out as <c>SIGNALED</c>, even after a failure).</summary>
    internal KtHttpReply RunRpc(RpcCall call, Dictionary<long, ServerCursor> cursors)
    {
        var (procedure, input, bulk) = call;
        (int Status, SortedDictionary<byte[], byte[]> Output) result;
        lock (_gate)
        {
            result = procedure switch
            {
                "ulog_list" => (200, UpdateLogFiles()),
                "ulog_remove" => RemoveUpdateLogFiles(input),
                _ => _rpc.Handle(procedure, input, bulk, cursors),
            };
        }

        if (input.TryGetValue("SIGNAL", out var condition))
        {
            var woken = Conditions.Signal(Encoding.UTF8.GetString(condition), input.ContainsKey("SIGNALBROAD"));
            result.Output[Encoding.ASCII.GetBytes("SIGNALED")] = Encoding.ASCII.GetBytes(woken.ToString(CultureInfo.InvariantCulture));
        }

        return RpcReply(result.Status, result.Output);
    }

    /// <summary><c>ulog_list</c>: each update-log file as <c>path</c> = <c>size:ts</c>.</summary>
    private SortedDictionary<byte[], byte[]> UpdateLogFiles()
    {
        var output = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        foreach (var (path, bytes, lastTs) in _log.Files)
        {
            output[Encoding.UTF8.GetBytes(path)] = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{bytes}:{lastTs}"));
        }

        return output;
    }

    /// <summary><c>ulog_remove</c>: <c>ts</c> as a decimal timestamp or <c>now</c>; absent removes every file but the newest.</summary>
    private (int, SortedDictionary<byte[], byte[]>) RemoveUpdateLogFiles(Dictionary<string, byte[]> input)
    {
        var upTo = ulong.MaxValue;
        if (input.TryGetValue("ts", out var text))
        {
            var ts = Encoding.ASCII.GetString(text);
            upTo = ts == "now"
                ? ((ulong)_clock.Now.ToUnixTimeMilliseconds() * 1_000_000) + 999_999
                : ulong.TryParse(new string([.. ts.TakeWhile(char.IsAsciiDigit)]), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        }

        _log.RemoveUpTo(upTo);
        return (200, new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance));
    }

    /// <summary>The 503 a <c>WAIT</c> gets when no signal came in time; the procedure did not run.</summary>
    internal static KtHttpReply ConditionTimedOut() =>
        RpcReply(503, new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance) { [Encoding.ASCII.GetBytes("ERROR")] = Encoding.ASCII.GetBytes("the condition timed out") });

    /// <summary>Named condition variables for <c>WAIT</c>/<c>SIGNAL</c>, shared by every connection.</summary>
    internal KtConditions Conditions { get; } = new();

    private static KtHttpReply RpcReply(int status, SortedDictionary<byte[], byte[]> output)
    {
        var (tsv, type) = TsvBody.Format([.. output.Select(e => (e.Key, e.Value))], asServer: true);
        return new(status, Reason(status), [("Content-Type", type)], tsv);
    }

    /// <summary>Binary play_script: the sorted output records, or null for a failure (the connection stays open).</summary>
    internal byte[]? PlayScriptBinary(string name, List<(byte[] Key, byte[] Value)> records)
    {
        IReadOnlyDictionary<string, byte[]> result;
        try
        {
            lock (_gate)
            {
                result = _rpc.PlayScript(name, records.GroupBy(r => Encoding.Latin1.GetString(r.Key)).ToDictionary(g => g.Key, g => g.Last().Value));
            }
        }
        catch (KtRpc.RpcFailure)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>();
        Count(output, BinaryProtocol.PlayScript, result.Count);
        foreach (var (key, value) in result.OrderBy(r => Encoding.Latin1.GetBytes(r.Key), ByteArrayComparer.Instance))
        {
            var keyBytes = Encoding.Latin1.GetBytes(key);
            var span = output.GetSpan(8);
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)keyBytes.Length);
            BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)value.Length);
            output.Advance(8);
            output.Write(keyBytes);
            output.Write(value);
        }

        return output.WrittenSpan.ToArray();
    }

    internal byte[] HandleBinary(byte magic, List<(ushort Db, byte[] Key, byte[] Value, long Xt)> records)
    {
        var output = new ArrayBufferWriter<byte>();
        lock (_gate)
        {
            var now = Now;
            var usable = records.Where(r => r.Db < _databases.Count).ToList();
            switch (magic)
            {
                case BinaryProtocol.SetBulk:
                    foreach (var (db, key, value, xt) in usable)
                    {
                        _databases[db].Set(key, value, xt == 0 ? now : KtExpiry.Resolve(xt, now));
                    }

                    Count(output, magic, usable.Count);
                    break;
                case BinaryProtocol.RemoveBulk:
                    Count(output, magic, usable.Count(r => _databases[r.Db].Get(r.Key, now) is not null && _databases[r.Db].Remove(r.Key)));
                    break;
                default:
                    var hits = usable.Select(r => (r.Db, r.Key, Record: _databases[r.Db].Get(r.Key, now))).Where(h => h.Record is not null).ToList();
                    Count(output, magic, hits.Count);
                    foreach (var (db, key, record) in hits)
                    {
                        var span = output.GetSpan(18);
                        BinaryPrimitives.WriteUInt16BigEndian(span, db);
                        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)key.Length);
                        BinaryPrimitives.WriteUInt32BigEndian(span[6..], (uint)record!.Value.Value.Length);
                        BinaryPrimitives.WriteInt64BigEndian(span[10..], Math.Min(record.Value.Xt, KtExpiry.NeverAbsolute));
                        output.Advance(18);
                        output.Write(key);
                        output.Write(record.Value.Value);
                    }

                    break;
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Runs a memcached command against DB 0 under the server's lock.</summary>
    internal T OnMemcachedDatabase<T>(Func<KtDatabase, long, T> command)
    {
        lock (_gate)
        {
            return command(_databases[0], Now);
        }
    }

    /// <summary>Wakes queue-mode <c>get</c>s waiting for a key's next message.</summary>
    internal KtConditions QueueArrivals { get; } = new();

    /// <summary>A queue message's record key, <c>name 14-digit-ms 4-digit-seq</c>, so DB 0's key order is arrival order.</summary>
    internal byte[] NextQueueKey(string name)
    {
        lock (_gate)
        {
            var (ms, sequence) = _queueStamp.Next(_clock.Now.ToUnixTimeMilliseconds());
            return Encoding.Latin1.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{name} {ms:D14} {sequence:D4}"));
        }
    }

    internal void AddSession(KtServerConnection session, bool add)
    {
        lock (_gate)
        {
            if (add)
            {
                _sessions.Add(session);
            }
            else
            {
                _sessions.Remove(session);
            }
        }
    }

    /// <summary>Raised (on a loop thread) each time a slave acknowledges a keep-alive.</summary>
    public event Action? ReplicationAcknowledged;

    internal void Acknowledged()
    {
        Interlocked.Increment(ref _acks);
        ReplicationAcknowledged?.Invoke();
    }

    /// <summary>Log records after <paramref name="timestamp"/>, oldest first.</summary>
    internal List<(ulong Ts, ushort Sid, byte[] Message)> LogAfter(ulong timestamp, int max = int.MaxValue)
    {
        lock (_gate)
        {
            return _log.After(timestamp, max);
        }
    }

    /// <summary>The keep-alive timestamp: about a second ago, never below the newest record.</summary>
    internal ulong NoOpTimestamp()
    {
        var aSecondAgo = (ulong)(_clock.Now.ToUnixTimeMilliseconds() - 1000) * 1_000_000;
        return Math.Max(aSecondAgo, LastTimestamp);
    }

    /// <summary>Every change to a database, under the server's lock: appended to the update log and pushed to slaves.</summary>
    private void Log(int db, ReplicationOp op, byte[] key, byte[] value, long xt)
    {
        var ms = _clock.Now.ToUnixTimeMilliseconds();
        var (stampMs, sequence) = _logStamp.Next(ms);
        var ts = (ulong)stampMs * 1_000_000 + (ulong)sequence;
        var stored = op == ReplicationOp.Set ? ReplicationCodec.StoredValue(value, xt) : [];
        _log.Append(ts, Options.ServerId, ReplicationCodec.Message(Options.ServerId, (ushort)db, op, key, stored));
        foreach (var session in _sessions)
        {
            session.Transport.Loop.Execute(session.PumpReplication);
        }
    }

    private KtHttpReply Rest(string method, string path, Dictionary<string, string> headers, byte[] body)
    {
        var rest = path.StartsWith('/') ? path[1..] : path;
        KtDatabase? db;
        string keyText;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        lock (_gate)
        {
            if (slash >= 0)
            {
                var selector = Encoding.UTF8.GetString(ColumnEncoding.UrlDecode(Encoding.Latin1.GetBytes(rest[..slash])));
                db = selector.Length == 0 ? _databases.FirstOrDefault()
                    : char.IsAsciiDigit(selector[0]) ? _databases.ElementAtOrDefault((int)KtRpc.Atoi(Encoding.ASCII.GetBytes(selector)))
                    : _databases.LastOrDefault(d => d.Name == selector);
                keyText = rest[(slash + 1)..];
            }
            else
            {
                db = _databases.FirstOrDefault();
                keyText = rest;
            }

            if (db is null)
            {
                return new(400, "Bad Request", [], Encoding.ASCII.GetBytes("no such database\n"));
            }

            var key = ColumnEncoding.UrlDecode(Encoding.Latin1.GetBytes(keyText));
            var now = Now;
            var record = db.Get(key, now);
            (string, string)[] noRecord = [("X-Kt-Error", "DB: 7: no record: no record")];
            switch (method)
            {
                case "GET" or "HEAD":
                    if (record is not { } found)
                    {
                        return new(404, "Not Found", noRecord, []);
                    }

                    List<(string, string)> headersOut = KtExpiry.AbsoluteToDate(found.Xt) is { } expires ? [("X-Kt-Xt", expires.ToString("r", System.Globalization.CultureInfo.InvariantCulture))] : [];
                    if (method == "HEAD")
                    {
                        headersOut.Insert(0, ("Content-Length", found.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    return new(200, "OK", headersOut, found.Value);
                case "PUT":
                    var mode = headers.GetValueOrDefault("x-kt-mode")?.ToLowerInvariant() ?? "set";
                    if ((mode == "add" && record is not null) || (mode == "replace" && record is null))
                    {
                        return new(450, "Logical Inconsistency", [("X-Kt-Error", mode == "add" ? "DB: 6: record duplication: record duplication" : "DB: 7: no record: no record")], []);
                    }

                    // Always an absolute time (any of strmktime's formats); unparsable, <= 0 or past the 40-bit cap means never.
                    var absolute = headers.TryGetValue("x-kt-xt", out var xtText) ? KtTimeText.Parse(xtText) : 0;
                    var xt = absolute > 0 ? Math.Min(absolute, KtExpiry.NeverAbsolute) : KtExpiry.NeverAbsolute;
                    db.Set(key, body, xt);
                    return new(201, "Created", [("Location", $"http://localhost:{_port!.Port}{path}")], []);
                case "DELETE":
                    return record is null ? new(404, "Not Found", noRecord, []) : db.Remove(key) ? new(204, "No Content", [], []) : new(500, "Internal Server Error", [], []);
                default:
                    return new(501, "Not Implemented", [], []);
            }
        }
    }

    private static IEnumerable<(byte[], byte[])> Form(string text)
    {
        foreach (var pair in text.Split('&', ';'))
        {
            var trimmed = pair.TrimStart((char[])[.. Enumerable.Range(1, 0x20).Select(c => (char)c)]);
            if (trimmed.Length == 0)
            {
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? trimmed : trimmed[..equals];
            var value = equals < 0 ? "" : trimmed[(equals + 1)..];
            yield return (ColumnEncoding.UrlDecode(Encoding.Latin1.GetBytes(name)), ColumnEncoding.UrlDecode(Encoding.Latin1.GetBytes(value)));
        }
    }

    private static void Count(ArrayBufferWriter<byte> output, byte magic, int count)
    {
        var span = output.GetSpan(5);
        span[0] = magic;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
        output.Advance(5);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        450 => "Logical Inconsistency",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
}
