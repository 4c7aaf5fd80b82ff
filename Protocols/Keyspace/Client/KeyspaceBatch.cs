using System.Reactive;
using System.Reactive.Linq;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Calls gathered and sent together by <see cref="Submit"/>: written back to back in one loop turn, so a batch of
/// writes shares one submit round (spec §6). The reference library's rules are checked as calls are added: one batch
/// holds writes, or safe reads, or dirty reads, never a mix; lists and counts are not batchable (there are no such
/// methods here). A call over the server's limits fails alone. Each call's result settles once its reply comes.
/// </summary>
public sealed class KeyspaceBatch
{
    private readonly KeyspaceClient _client;
    private readonly List<KeyspaceCall> _calls = [];
    private string? _kind;
    private bool _closed;

    internal KeyspaceBatch(KeyspaceClient client) => _client = client;

    /// <summary>How many calls the batch holds.</summary>
    public int Count => _calls.Count;

    /// <summary>A safe read (master).</summary>
    public Deferred<byte[]?> Get(byte[] key) => Add(Prepared.Get(_client, key, dirty: false), "safe reads");

    /// <summary>A safe read of a UTF-8 key.</summary>
    public Deferred<byte[]?> Get(string key) => Get(KeyspaceClient.Utf8(key));

    /// <summary>A dirty read (any node).</summary>
    public Deferred<byte[]?> DirtyGet(byte[] key) => Add(Prepared.Get(_client, key, dirty: true), "dirty reads");

    /// <summary>A dirty read of a UTF-8 key.</summary>
    public Deferred<byte[]?> DirtyGet(string key) => DirtyGet(KeyspaceClient.Utf8(key));

    /// <summary>A set.</summary>
    public Deferred<Unit> Set(byte[] key, byte[] value) => Add(Prepared.Set(_client, key, value), "writes");

    /// <summary>A set of a UTF-8 key and value.</summary>
    public Deferred<Unit> Set(string key, string value) => Set(KeyspaceClient.Utf8(key), KeyspaceClient.Utf8(value));

    /// <summary>A test-and-set.</summary>
    public Deferred<KeyspaceTestAndSetResult> TestAndSet(byte[] key, byte[] test, byte[] value) => Add(Prepared.TestAndSet(_client, key, test, value), "writes");

    /// <summary>An add.</summary>
    public Deferred<long> Add(byte[] key, long delta) => Add(Prepared.Add(_client, key, delta), "writes");

    /// <summary>A delete; false when the key was missing.</summary>
    public Deferred<bool> Delete(byte[] key) => Add(Prepared.Delete(_client, key), "writes");

    /// <summary>A remove; the old value, null when the key was missing.</summary>
    public Deferred<byte[]?> Remove(byte[] key) => Add(Prepared.Remove(_client, key), "writes");

    /// <summary>A rename; false when the source was missing.</summary>
    public Deferred<bool> Rename(byte[] from, byte[] to) => Add(Prepared.Rename(_client, from, to), "writes");

    /// <summary>A prune.</summary>
    public Deferred<Unit> Prune(byte[] prefix) => Add(Prepared.Write(_client, KeyspaceCommand.Prune, "PRUNE", prefix), "writes");

    /// <summary>A set-expiry.</summary>
    public Deferred<Unit> SetExpiry(byte[] key, ulong seconds) => Add(Prepared.SetExpiry(_client, key, seconds), "writes");

    /// <summary>A remove-expiry.</summary>
    public Deferred<Unit> RemoveExpiry(byte[] key) => Add(Prepared.Write(_client, KeyspaceCommand.RemoveExpiry, "REMOVEEXPIRY", key), "writes");

    /// <summary>A clear-expiries.</summary>
    public Deferred<Unit> ClearExpiries() => Add(Prepared.Write(_client, KeyspaceCommand.ClearExpiries, "CLEAREXPIRIES", null), "writes");

    /// <summary>Sends every call in one loop turn; completes once each has settled (each call's own result says how).</summary>
    public Deferred<Unit> Submit()
    {
        ThrowIfClosed();
        _closed = true;
        _client.Cluster.SendAll(_calls);
        return Deferred.List(_calls.Select(c => (IObservable<KeyspaceReply>)c.Reply)).Select(_ => Unit.Default).ToDeferred();
    }

    /// <summary>Drops the batch: nothing is sent and every call fails with <see cref="KeyspaceBadCallException"/>.</summary>
    public void Cancel()
    {
        ThrowIfClosed();
        _closed = true;
        var cancelled = KeyspaceErrors.Instance.BadBatch("the batch was cancelled before it was submitted");
        foreach (var call in _calls)
        {
            call.Fail(cancelled);
        }
    }

    private Deferred<T> Add<T>(Prepared<T> prepared, string kind)
    {
        ThrowIfClosed();
        if (_kind is not null && _kind != kind)
        {
            throw KeyspaceErrors.Instance.BadBatch($"a batch holds writes, safe reads or dirty reads, never a mix; this one holds {_kind}, so {prepared.Call?.Operation ?? "this call"} cannot join it");
        }

        if (prepared.Call is { } call)
        {
            _kind = kind;
            _calls.Add(call);
        }

        return prepared.Result;
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw KeyspaceErrors.Instance.BadBatch("the batch was already submitted or cancelled; start a new one");
        }
    }
}
