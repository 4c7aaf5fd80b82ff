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
public sealed partial class KtClient : IKtClient
{
    private readonly Reactor _reactor;
    private readonly ClientConnectionService<KtConnection, KtCall> _service;

    private KtClient(Reactor reactor, KtOptions options)
    {
        _reactor = reactor;
        options = options with { Monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, KtErrors.Instance.Backend) };
        Options = options;
        _service = new ClientConnectionService<KtConnection, KtCall>(
            reactor,
            options.Connection(),
            KtErrors.Instance,
            options.Authority,
            options.ConnectWith ?? ((factory, loop) => reactor.ConnectTcp(options.Host, options.Port, factory, options.ConnectTimeout, loop: loop)),
            () => new KtConnection(options),
            telemetry: KtTelemetry.Instance);
    }

    /// <inheritdoc />
    public KtOptions Options { get; }

    /// <inheritdoc />
    public ClientConnectionState ConnectionState => ConnectionMonitor.State;

    /// <inheritdoc />
    public Exception? LastConnectionError => ConnectionMonitor.LastError;

    /// <inheritdoc />
    public IObservable<ClientConnectionEvent> ConnectionEvents => ConnectionMonitor.Events;

    /// <summary>Where every connection of the client reports its events and state.</summary>
    public ClientConnectionMonitor ConnectionMonitor => Options.Monitor!;

    /// <summary>The loop the connection lives on.</summary>
    public EventLoop Loop => _service.Loop;

    /// <summary>A client; it connects on first use and again after a loss.</summary>
    public static KtClient Create(Reactor reactor, KtOptions options) => new(reactor, options);

    /// <summary>A client for <c>kt://host:port/dbname</c>.</summary>
    public static KtClient Create(Reactor reactor, string url) => new(reactor, KtOptions.Parse(url));

    /// <summary>Connects now and completes with the client once connected, or fails with the connect error.</summary>
    public static Task<KtClient> ConnectAsync(Reactor reactor, KtOptions options, CancellationToken cancellationToken = default) =>
        ConnectableClient.ConnectOrDisposeAsync(new KtClient(reactor, options), cancellationToken);

    /// <summary>Connects to <c>kt://host:port/dbname</c> now.</summary>
    public static Task<KtClient> ConnectAsync(Reactor reactor, string url, CancellationToken cancellationToken = default) =>
        ConnectAsync(reactor, KtOptions.Parse(url), cancellationToken);

    /// <summary>Connects now, if not connected, and completes once connected.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => _service.ConnectAsync(cancellationToken);

    /// <summary>Closes the connection; calls still waiting fail. Completes whatever state the reactor is in.</summary>
    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync().ConfigureAwait(false);
        ConnectionMonitor.Complete();
    }

    /// <inheritdoc />
    public Deferred<(int Status, IReadOnlyList<(byte[] Name, byte[] Value)> Output)> Call(string procedure, IEnumerable<(string Name, byte[] Value)> input, CancellationToken cancellationToken = default)
    {
        var entries = input.Select(e => (Name(e.Name), e.Value)).ToList();
        if (Options.Database is { } db && !entries.Any(e => e.Item1.AsSpan().SequenceEqual("DB"u8)))
        {
            entries.Insert(0, ("DB"u8.ToArray(), Encoding.UTF8.GetBytes(db)));
        }

        var (body, contentType) = TsvBody.Format(entries);
        var reply = SendHttp("POST", "/rpc/" + Uri.EscapeDataString(procedure), [("Content-Type", contentType)], body, cancellationToken);
        return reply.Then(response => (response.Status, (IReadOnlyList<(byte[], byte[])>)TsvBody.Parse(response.Body, TsvBody.ColumnEncodingOf(response.Header("content-type")))));
    }

    // Bulk names are "_" + the key as Latin-1 (one char per byte), so binary keys go out byte for byte; other names are UTF-8.
    private static byte[] Name(string name) => name.StartsWith('_') ? Encoding.Latin1.GetBytes(name) : Encoding.UTF8.GetBytes(name);

    private Deferred<T> Rpc<T>(string procedure, IEnumerable<(string Name, byte[] Value)> input, Func<int, Output, T> interpret, CancellationToken cancellationToken = default) =>
        Call(procedure, input, cancellationToken).Then(reply => interpret(reply.Status, new Output(procedure, reply.Status, reply.Output)));

    // A cancelled token settles the call before it is submitted, so it is never written; a token cancelled later fails
    // the call, and the connection reads its reply when it comes and drops it (answers come in order).
    private Deferred<HttpResponse> SendHttp(string method, string target, IReadOnlyList<(string Name, string Value)> headers, byte[] body, CancellationToken cancellationToken = default)
    {
        var request = KtCall.ForHttp(method, target, headers, body, Options.Authority);
        if (cancellationToken.IsCancellationRequested)
        {
            request.Http.Cancel();
            return request.Http;
        }

        _service.Submit(request);
        return request.Http.WithCancellation(cancellationToken);
    }

    private Deferred<object> SendBinary(Action<System.Buffers.IBufferWriter<byte>> write, KtConnection.Kind kind, byte magic, bool noReply, CancellationToken cancellationToken)
    {
        var request = KtCall.ForBinary(write, kind, magic, noReply);
        if (cancellationToken.IsCancellationRequested)
        {
            request.Binary.Cancel();
            return request.Binary;
        }

        _service.Submit(request);
        return request.Binary.WithCancellation(cancellationToken);
    }

    /// <summary>An RPC reply's output map, read as the procedures define it.</summary>
    private readonly struct Output(string procedure, int status, IReadOnlyList<(byte[] Name, byte[] Value)> entries)
    {
        public byte[]? Bytes(string name) => entries.LastOrDefault(e => e.Name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(name))).Value;

        public string? Text(string name) => Bytes(name) is { } b ? Encoding.UTF8.GetString(b) : null;

        public long Long(string name) => long.Parse(Text(name) ?? throw Error(), CultureInfo.InvariantCulture);

        public DateTimeOffset? Expiry => Text("xt") is { } xt && long.TryParse(xt, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? KtExpiry.AbsoluteToDate(seconds) : null;

        public IEnumerable<(byte[] Key, byte[] Value)> Underscored => entries.Where(e => e.Name.Length > 0 && e.Name[0] == '_').Select(e => (e.Name[1..], e.Value));

        public IReadOnlyDictionary<string, string> Map => entries.GroupBy(e => Encoding.UTF8.GetString(e.Name)).ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().Value));

        public bool Ok => status == 200;

        public bool Logical => status == 450;

        public KtException Error() => new(procedure, status, Text("ERROR") ?? "(no error text)");

        public T OrThrow<T>(T value) => Ok ? value : throw Error();
    }
}
