using System.Globalization;
using System.Reactive;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// A Kyoto Tycoon client on the reactor: TSV-RPC over one pipelined keep-alive HTTP/1.1 connection, and the binary
/// protocol on the same connection (the server picks by the first byte and answers strictly in order). Every call
/// returns a <see cref="Deferred{T}"/> already on its way. A missing record is a value (null, false); 400/500/501
/// and network failures are <see cref="KtException"/>s or the reactor's typed errors. All state lives on one loop.
/// </summary>
public sealed partial class KtClient : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly List<Action<KtConnection>> _waiting = [];
    private KtConnection? _connection;
    private bool _connecting;
    private Exception? _connectError;

    private KtClient(Reactor reactor, KtOptions options)
    {
        _reactor = reactor;
        Options = options;
        Loop = reactor.Loops.Next();
    }

    /// <summary>The options it was made with.</summary>
    public KtOptions Options { get; }

    /// <summary>The loop the connection lives on.</summary>
    public EventLoop Loop { get; }

    /// <summary>A client; it connects on first use and again after a loss.</summary>
    public static KtClient Create(Reactor reactor, KtOptions options) => new(reactor, options);

    /// <summary>A client for <c>kt://host:port/dbname</c>.</summary>
    public static KtClient Create(Reactor reactor, string url) => new(reactor, KtOptions.Parse(url));

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync() => await Loop.InvokeAsync(() => _connection?.Transport.LoseConnection()).ConfigureAwait(false);

    /// <summary>
    /// Calls an RPC procedure with the given inputs (DB added from the options unless present) and fires with the
    /// HTTP status and the output map, for any status; the typed methods interpret it. Names starting with <c>_</c>
    /// (bulk keys) are sent as Latin-1, one byte per char, so binary keys survive; other names as UTF-8.
    /// </summary>
    public Deferred<(int Status, IReadOnlyList<(byte[] Name, byte[] Value)> Output)> Call(string procedure, IEnumerable<(string Name, byte[] Value)> input)
    {
        var entries = input.Select(e => (Name(e.Name), e.Value)).ToList();
        if (Options.Database is { } db && !entries.Any(e => e.Item1.AsSpan().SequenceEqual("DB"u8)))
        {
            entries.Insert(0, ("DB"u8.ToArray(), Encoding.UTF8.GetBytes(db)));
        }

        var (body, contentType) = TsvBody.Format(entries);
        var reply = OnConnection(connection => connection.Http("POST", "/rpc/" + Uri.EscapeDataString(procedure), [("Content-Type", contentType)], body));
        return System.Reactive.Linq.Observable.Select(reply, response => (response.Status, (IReadOnlyList<(byte[], byte[])>)TsvBody.Parse(response.Body, TsvBody.ColumnEncodingOf(response.Header("content-type")))))
            .ToDeferred();
    }

    // Bulk names are "_" + the key as Latin-1 (one char per byte), so binary keys go out byte for byte; other names are UTF-8.
    private static byte[] Name(string name) => name.StartsWith('_') ? Encoding.Latin1.GetBytes(name) : Encoding.UTF8.GetBytes(name);

    private Deferred<T> Rpc<T>(string procedure, IEnumerable<(string Name, byte[] Value)> input, Func<int, Output, T> interpret) =>
        System.Reactive.Linq.Observable.Select(Call(procedure, input), reply => interpret(reply.Status, new Output(procedure, reply.Status, reply.Output))).ToDeferred();

    /// <summary>Runs <paramref name="send"/> on the connection's loop once connected, and flattens its result.</summary>
    private Deferred<T> OnConnection<T>(Func<KtConnection, Deferred<T>> send)
    {
        var result = new Deferred<T>();
        Loop.Execute(() => WithConnection(connection =>
        {
            var sent = send(connection);
            sent.Subscribe(v => result.TryCallback(v), e => result.TryErrback(e));
        }, result.TryErrback));
        return result.AddTimeout(Options.Timeout, Loop);
    }

    private void WithConnection(Action<KtConnection> use, Func<Exception, bool> fail)
    {
        if (_connection is { Connected: true, Transport.Disconnecting: false } connection)
        {
            use(connection);
            return;
        }

        _waiting.Add(c =>
        {
            if (c is null)
            {
                fail(_connectError!);
            }
            else
            {
                use(c);
            }
        });
        if (_connecting)
        {
            return;
        }

        _connecting = true;
        var factory = new ClientFactory(() =>
        {
            return new KtConnection(Options)
            {
                Made = Ready,
                Closed = (c, _) =>
                {
                    if (ReferenceEquals(_connection, c))
                    {
                        _connection = null;
                    }
                },
            };
        });
        _reactor.ConnectTcp(Options.Host, Options.Port, new ConnectFailure(factory, this), Options.Timeout, loop: Loop);
    }

    private void Ready(KtConnection connection)
    {
        _connecting = false;
        _connection = connection;
        Flush(connection);
    }

    private void Failed(Exception reason)
    {
        _connecting = false;
        _connectError = reason;
        Flush(null);
    }

    private void Flush(KtConnection? connection)
    {
        var waiting = _waiting.ToArray();
        _waiting.Clear();
        foreach (var use in waiting)
        {
            use(connection!);
        }
    }

    private sealed class ConnectFailure(ClientFactory inner, KtClient client) : ClientFactory(address => inner.BuildProtocol(address))
    {
        public override void ClientConnectionFailed(IConnector connector, Exception reason) => client.Failed(reason);
    }

    /// <summary>An RPC reply's output map, read as the procedures define it.</summary>
    private readonly struct Output(string procedure, int status, IReadOnlyList<(byte[] Name, byte[] Value)> entries)
    {
        public byte[]? Bytes(string name) => entries.LastOrDefault(e => e.Name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(name))).Value;

        public string? Text(string name) => Bytes(name) is { } b ? Encoding.UTF8.GetString(b) : null;

        public long Long(string name) => long.Parse(Text(name) ?? throw Error(), CultureInfo.InvariantCulture);

        public DateTimeOffset? Expiry => Text("xt") is { } xt ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(xt, CultureInfo.InvariantCulture)) : null;

        public IEnumerable<(byte[] Key, byte[] Value)> Underscored => entries.Where(e => e.Name.Length > 0 && e.Name[0] == '_').Select(e => (e.Name[1..], e.Value));

        public IReadOnlyDictionary<string, string> Map => entries.GroupBy(e => Encoding.UTF8.GetString(e.Name)).ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().Value));

        public bool Ok => status == 200;

        public bool Logical => status == 450;

        public KtException Error() => new(procedure, status, Text("ERROR") ?? "(no error text)");

        public T OrThrow<T>(T value) => Ok ? value : throw Error();
    }
}
