using System.Reactive;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// A reactive, pipelined Keyspace client: one connection per node (the URL lists them in nodeID order), writes and
/// safe reads to the confirmed master, dirty reads to any connected node, replies matched by id, and one submit
/// (<c>1:*</c>) per loop turn that wrote. Every call returns a <see cref="Deferred{T}"/> already on its way; a missing
/// key is a null (or false) result, not an exception. Lists are cold observables paged at 1000 keys.
/// </summary>
public sealed partial class KeyspaceClient : IConnectableClient
{
    private readonly KeyspaceNodeRouter _cluster;

    private KeyspaceClient(Reactor reactor, KeyspaceOptions options) =>
        _cluster = new KeyspaceNodeRouter(reactor, options with { Monitor = options.Monitor ?? new ClientConnectionMonitor(reactor, KeyspaceErrors.Instance.Backend) });

    /// <summary>The options it was made with.</summary>
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

    /// <summary>The node confirmed master, if one is.</summary>
    public int? Master => _cluster.Master;

    /// <summary>Each change of the confirmed master (null while none is known); hot, delivered off the loop.</summary>
    public IObservable<int?> MasterChanges => _cluster.MasterChanges;

    /// <summary>
    /// Each call the client sent again by itself (rejected by a former master, <c>n</c> after a lost lease, or a read
    /// whose connection was lost); hot, delivered off the loop. Writes that may have executed are never among them:
    /// they fail with <see cref="ClientConnectionException.MayHaveExecuted"/> instead.
    /// </summary>
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

    /// <summary>Starts a batch: its calls are sent together when it is submitted (spec §10.5's rules apply).</summary>
    public KeyspaceBatch Batch() => new(this);

    /// <summary>The master's node id, once a node confirmed itself master (fails after the master timeout).</summary>
    public Deferred<int> GetMaster() =>
        Run(new KeyspaceRequest { Command = KeyspaceCommand.GetMaster }, "GETMASTER", r => int.Parse(Encoding.ASCII.GetString(Value(r)), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The value of <paramref name="key"/> read on the master; null when missing.</summary>
    public Deferred<byte[]?> Get(byte[] key) => Submit(Prepared.Get(this, key, dirty: false));

    /// <summary>The value of <paramref name="key"/> (UTF-8) read on the master; null when missing.</summary>
    public Deferred<byte[]?> Get(string key) => Get(Utf8(key));

    /// <summary>The value of <paramref name="key"/> as UTF-8 text; null when missing.</summary>
    public Deferred<string?> GetString(string key) => System.Reactive.Linq.Observable.Select(Get(key), v => v is null ? null : Encoding.UTF8.GetString(v)).ToDeferred();

    /// <summary>The value of <paramref name="key"/> from any node's copy (may be stale); null when missing.</summary>
    public Deferred<byte[]?> DirtyGet(byte[] key) => Submit(Prepared.Get(this, key, dirty: true));

    /// <summary>The value of <paramref name="key"/> (UTF-8) from any node's copy; null when missing.</summary>
    public Deferred<byte[]?> DirtyGet(string key) => DirtyGet(Utf8(key));

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    public Deferred<Unit> Set(byte[] key, byte[] value) => Submit(Prepared.Set(this, key, value));

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, both UTF-8.</summary>
    public Deferred<Unit> Set(string key, string value) => Set(Utf8(key), Utf8(value));

    /// <summary>Replaces the value by <paramref name="value"/> if it equals <paramref name="test"/>; says whether it did (§7.2).</summary>
    public Deferred<KeyspaceTestAndSetResult> TestAndSet(byte[] key, byte[] test, byte[] value) => Submit(Prepared.TestAndSet(this, key, test, value));

    /// <summary>Test-and-set with UTF-8 key and values.</summary>
    public Deferred<KeyspaceTestAndSetResult> TestAndSet(string key, string test, string value) => TestAndSet(Utf8(key), Utf8(test), Utf8(value));

    /// <summary>Adds <paramref name="delta"/> to the decimal value of <paramref name="key"/> and returns the new number.</summary>
    public Deferred<long> Add(byte[] key, long delta) => Submit(Prepared.Add(this, key, delta));

    /// <summary>Adds <paramref name="delta"/> to the decimal value of <paramref name="key"/> (UTF-8).</summary>
    public Deferred<long> Add(string key, long delta) => Add(Utf8(key), delta);

    /// <summary>Deletes <paramref name="key"/>; false when it was missing.</summary>
    public Deferred<bool> Delete(byte[] key) => Submit(Prepared.Delete(this, key));

    /// <summary>Deletes <paramref name="key"/> (UTF-8); false when it was missing.</summary>
    public Deferred<bool> Delete(string key) => Delete(Utf8(key));

    /// <summary>Deletes <paramref name="key"/> and returns its old value; null when it was missing.</summary>
    public Deferred<byte[]?> Remove(byte[] key) => Submit(Prepared.Remove(this, key));

    /// <summary>Deletes <paramref name="key"/> (UTF-8) and returns its old value; null when it was missing.</summary>
    public Deferred<byte[]?> Remove(string key) => Remove(Utf8(key));

    /// <summary>Moves the value of <paramref name="from"/> to <paramref name="to"/>; false when <paramref name="from"/> was missing.</summary>
    public Deferred<bool> Rename(byte[] from, byte[] to) => Submit(Prepared.Rename(this, from, to));

    /// <summary>Renames with UTF-8 keys.</summary>
    public Deferred<bool> Rename(string from, string to) => Rename(Utf8(from), Utf8(to));

    /// <summary>Deletes every key starting with <paramref name="prefix"/> (empty: every key).</summary>
    public Deferred<Unit> Prune(byte[] prefix) => Submit(Prepared.Write(this, KeyspaceCommand.Prune, "PRUNE", prefix));

    /// <summary>Deletes every key starting with <paramref name="prefix"/> (UTF-8).</summary>
    public Deferred<Unit> Prune(string prefix) => Prune(Utf8(prefix));

    /// <summary>Makes <paramref name="key"/> expire after <paramref name="seconds"/> (a real 1.9.0 server never fires it, §7.5).</summary>
    public Deferred<Unit> SetExpiry(byte[] key, ulong seconds) => Submit(Prepared.SetExpiry(this, key, seconds));

    /// <summary>Makes <paramref name="key"/> (UTF-8) expire after <paramref name="seconds"/>.</summary>
    public Deferred<Unit> SetExpiry(string key, ulong seconds) => SetExpiry(Utf8(key), seconds);

    /// <summary>Forgets the expiry of <paramref name="key"/>.</summary>
    public Deferred<Unit> RemoveExpiry(byte[] key) => Submit(Prepared.Write(this, KeyspaceCommand.RemoveExpiry, "REMOVEEXPIRY", key));

    /// <summary>Forgets the expiry of <paramref name="key"/> (UTF-8).</summary>
    public Deferred<Unit> RemoveExpiry(string key) => RemoveExpiry(Utf8(key));

    /// <summary>Forgets every expiry.</summary>
    public Deferred<Unit> ClearExpiries() => Submit(Prepared.Write(this, KeyspaceCommand.ClearExpiries, "CLEAREXPIRIES", null));

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

    internal Deferred<T> Submit<T>(Prepared<T> prepared)
    {
        if (prepared.Call is { } call)
        {
            _cluster.Send(call);
        }

        return prepared.Result;
    }

    private Deferred<T> Run<T>(KeyspaceRequest wire, string operation, Func<KeyspaceReply, T> map) =>
        Submit(Prepared<T>.Of(new KeyspaceCall(wire, operation, NewDeadline()), map));
}
