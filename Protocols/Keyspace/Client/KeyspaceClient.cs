using System.Reactive;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// A reactive, pipelined Keyspace client: one connection per node (the URL lists them in nodeID order), writes and
/// safe reads to the confirmed master, dirty reads to any connected node, replies matched by id, and one submit
/// (<c>1:*</c>) per loop turn that wrote. Every call returns a <see cref="Deferred{T}"/> already on its way; a missing
/// key is a null (or false) result, not an exception. Lists are cold observables paged at 1000 keys.
/// </summary>
public sealed partial class KeyspaceClient : IKeyspaceClient
{
    private readonly KeyspaceNodeRouter _cluster;

    private KeyspaceClient(Reactor reactor, KeyspaceOptions options) =>
        _cluster = new KeyspaceNodeRouter(reactor, options with { Monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, KeyspaceErrors.Instance.Backend) });

    /// <inheritdoc />
    public KeyspaceOptions Options => _cluster.Options;

    /// <inheritdoc />
    public ClientConnectionState ConnectionState => ConnectionMonitor.State;

    /// <inheritdoc />
    public Exception? LastConnectionError => ConnectionMonitor.LastError;

    /// <inheritdoc />
    public IObservable<ClientConnectionEvent> ConnectionEvents => ConnectionMonitor.Events;

    /// <summary>Where every connection of the client reports its events and state.</summary>
    public ClientConnectionMonitor ConnectionMonitor => Options.Monitor!;

    /// <summary>The loop every node connection lives on.</summary>
    public EventLoop Loop => _cluster.Loop;

    /// <inheritdoc />
    public int? Master => _cluster.Master;

    /// <inheritdoc />
    public IObservable<int?> MasterChanges => _cluster.MasterChanges;

    /// <inheritdoc />
    public IObservable<KeyspaceRetry> Retries => _cluster.Retries;

    /// <summary>A client for <paramref name="options"/>; it connects on first use.</summary>
    public static KeyspaceClient Create(Reactor reactor, KeyspaceOptions options) => new(reactor, options);

    /// <summary>A client for <c>keyspace://host:port[,host:port…]</c>; it connects on first use.</summary>
    public static KeyspaceClient Create(Reactor reactor, string url) => new(reactor, KeyspaceOptions.Parse(url));

    /// <summary>Connects now and completes with the client once a node is connected, or fails with the connect error.</summary>
    public static Task<KeyspaceClient> ConnectAsync(Reactor reactor, KeyspaceOptions options, CancellationToken cancellationToken = default) =>
        ConnectableClient.ConnectOrDisposeAsync(new KeyspaceClient(reactor, options), cancellationToken);

    /// <summary>Connects to <c>keyspace://host:port[,host:port…]</c> now.</summary>
    public static Task<KeyspaceClient> ConnectAsync(Reactor reactor, string url, CancellationToken cancellationToken = default) =>
        ConnectAsync(reactor, KeyspaceOptions.Parse(url), cancellationToken);

    /// <summary>Connects every node now and completes once one is connected.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => _cluster.ConnectAsync(cancellationToken);

    /// <summary>Closes every node connection; calls still waiting fail.</summary>
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    /// <inheritdoc />
    public KeyspaceBatch Batch() => new(this);

    /// <inheritdoc />
    public Deferred<int> GetMaster(CancellationToken cancellationToken = default) =>
        Run(new KeyspaceRequest { Command = KeyspaceCommand.GetMaster }, "GETMASTER", r => int.Parse(Encoding.ASCII.GetString(Value(r)), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    /// <inheritdoc />
    public Deferred<byte[]?> Get(byte[] key, CancellationToken cancellationToken = default) => Submit(Prepared.Get(this, key, dirty: false), cancellationToken);

    /// <inheritdoc />
    public Deferred<byte[]?> Get(string key, CancellationToken cancellationToken = default) => Get(Utf8(key), cancellationToken);

    /// <inheritdoc />
    public Deferred<string?> GetString(string key, CancellationToken cancellationToken = default) => Get(key, cancellationToken).Then(v => v is null ? null : Encoding.UTF8.GetString(v));

    /// <inheritdoc />
    public Deferred<byte[]?> DirtyGet(byte[] key, CancellationToken cancellationToken = default) => Submit(Prepared.Get(this, key, dirty: true), cancellationToken);

    /// <inheritdoc />
    public Deferred<byte[]?> DirtyGet(string key, CancellationToken cancellationToken = default) => DirtyGet(Utf8(key), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Set(byte[] key, byte[] value, CancellationToken cancellationToken = default) => Submit(Prepared.Set(this, key, value), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Set(string key, string value, CancellationToken cancellationToken = default) => Set(Utf8(key), Utf8(value), cancellationToken);

    /// <inheritdoc />
    public Deferred<KeyspaceTestAndSetResult> TestAndSet(byte[] key, byte[] test, byte[] value, CancellationToken cancellationToken = default) => Submit(Prepared.TestAndSet(this, key, test, value), cancellationToken);

    /// <inheritdoc />
    public Deferred<KeyspaceTestAndSetResult> TestAndSet(string key, string test, string value, CancellationToken cancellationToken = default) => TestAndSet(Utf8(key), Utf8(test), Utf8(value), cancellationToken);

    /// <inheritdoc />
    public Deferred<long> Add(byte[] key, long delta, CancellationToken cancellationToken = default) => Submit(Prepared.Add(this, key, delta), cancellationToken);

    /// <inheritdoc />
    public Deferred<long> Add(string key, long delta, CancellationToken cancellationToken = default) => Add(Utf8(key), delta, cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Delete(byte[] key, CancellationToken cancellationToken = default) => Submit(Prepared.Delete(this, key), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Delete(string key, CancellationToken cancellationToken = default) => Delete(Utf8(key), cancellationToken);

    /// <inheritdoc />
    public Deferred<byte[]?> Remove(byte[] key, CancellationToken cancellationToken = default) => Submit(Prepared.Remove(this, key), cancellationToken);

    /// <inheritdoc />
    public Deferred<byte[]?> Remove(string key, CancellationToken cancellationToken = default) => Remove(Utf8(key), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Rename(byte[] from, byte[] to, CancellationToken cancellationToken = default) => Submit(Prepared.Rename(this, from, to), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> Rename(string from, string to, CancellationToken cancellationToken = default) => Rename(Utf8(from), Utf8(to), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Prune(byte[] prefix, CancellationToken cancellationToken = default) => Submit(Prepared.Write(this, KeyspaceCommand.Prune, "PRUNE", prefix), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Prune(string prefix, CancellationToken cancellationToken = default) => Prune(Utf8(prefix), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> SetExpiry(byte[] key, ulong seconds, CancellationToken cancellationToken = default) => Submit(Prepared.SetExpiry(this, key, seconds), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> SetExpiry(string key, ulong seconds, CancellationToken cancellationToken = default) => SetExpiry(Utf8(key), seconds, cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> RemoveExpiry(byte[] key, CancellationToken cancellationToken = default) => Submit(Prepared.Write(this, KeyspaceCommand.RemoveExpiry, "REMOVEEXPIRY", key), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> RemoveExpiry(string key, CancellationToken cancellationToken = default) => RemoveExpiry(Utf8(key), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> ClearExpiries(CancellationToken cancellationToken = default) => Submit(Prepared.Write(this, KeyspaceCommand.ClearExpiries, "CLEAREXPIRIES", null), cancellationToken);

    internal KeyspaceNodeRouter Cluster => _cluster;

    internal string NodesText => string.Join(",", Options.Nodes.Select(n => $"{n.Host}:{n.Port}"));

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal static byte[] Value(KeyspaceReply reply) =>
        reply.Value ?? throw new ProtocolErrorException($"Keyspace answered '{reply}' without the value this call returns.");

    internal DateTimeOffset NewDeadline()
    {
        var timeout = Options.OperationTimeout;
        return timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : Loop.Now + timeout;
    }

    // A cancelled token settles the call before it is sent, so it never is. A token cancelled later settles the call
    // too: the router stops retrying it, and its reply, matched by its id, is dropped when it comes.
    internal Deferred<T> Submit<T>(Prepared<T> prepared, CancellationToken cancellationToken = default)
    {
        if (prepared.Call is { } call)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                call.Reply.Cancel();
                return prepared.Result;
            }

            _cluster.Send(call);
            call.Reply.WithCancellation(cancellationToken);
        }

        return prepared.Result;
    }

    private Deferred<T> Run<T>(KeyspaceRequest wire, string operation, Func<KeyspaceReply, T> map, CancellationToken cancellationToken) =>
        Submit(Prepared<T>.Of(new KeyspaceCall(wire, operation, NewDeadline()), map), cancellationToken);
}
