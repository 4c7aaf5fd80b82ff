using System.Reactive;

namespace ReactiveKv.Keyspace;

/// <summary>
/// What a Keyspace client does, for code that should not depend on <see cref="KeyspaceClient"/> (and for fakes in its
/// tests). Every operation returns a <see cref="Deferred{T}"/> already on its way and takes an optional
/// <see cref="CancellationToken"/>: a token cancelled before the call keeps it from being sent; one cancelled later fails
/// the call with <see cref="OperationCanceledException"/> and stops its retries, though a write the node already received
/// may still be applied. Its reply, matched by id, is dropped; other calls are unaffected.
/// </summary>
public interface IKeyspaceClient : IConnectableClient
{
    /// <summary>The options it was made with.</summary>
    KeyspaceOptions Options { get; }

    /// <summary>The node confirmed master, if one is.</summary>
    int? Master { get; }

    /// <summary>Each change of the confirmed master (null while none is known); hot, delivered off the loop.</summary>
    IObservable<int?> MasterChanges { get; }

    /// <summary>
    /// Each call the client sent again by itself (rejected by a former master, <c>n</c> after a lost lease, or a read
    /// whose connection was lost); hot, delivered off the loop. Writes that may have executed are never among them:
    /// they fail with <see cref="ClientConnectionException.MayHaveExecuted"/> instead.
    /// </summary>
    IObservable<KeyspaceRetry> Retries { get; }

    /// <summary>Starts a batch: its calls are sent together when it is submitted (spec §10.5's rules apply).</summary>
    KeyspaceBatch Batch();

    /// <summary>The master's node id, once a node confirmed itself master (fails after the master timeout).</summary>
    Deferred<int> GetMaster(CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> read on the master; null when missing.</summary>
    Deferred<byte[]?> Get(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> (UTF-8) read on the master; null when missing.</summary>
    Deferred<byte[]?> Get(string key, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> as UTF-8 text; null when missing.</summary>
    Deferred<string?> GetString(string key, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> from any node's copy (may be stale); null when missing.</summary>
    Deferred<byte[]?> DirtyGet(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> (UTF-8) from any node's copy; null when missing.</summary>
    Deferred<byte[]?> DirtyGet(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    Deferred<Unit> Set(byte[] key, byte[] value, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, both UTF-8.</summary>
    Deferred<Unit> Set(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Replaces the value by <paramref name="value"/> if it equals <paramref name="test"/>; says whether it did (§7.2).</summary>
    Deferred<KeyspaceTestAndSetResult> TestAndSet(byte[] key, byte[] test, byte[] value, CancellationToken cancellationToken = default);

    /// <summary>Test-and-set with UTF-8 key and values.</summary>
    Deferred<KeyspaceTestAndSetResult> TestAndSet(string key, string test, string value, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="delta"/> to the decimal value of <paramref name="key"/> and returns the new number.</summary>
    Deferred<long> Add(byte[] key, long delta, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="delta"/> to the decimal value of <paramref name="key"/> (UTF-8).</summary>
    Deferred<long> Add(string key, long delta, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/>; false when it was missing.</summary>
    Deferred<bool> Delete(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/> (UTF-8); false when it was missing.</summary>
    Deferred<bool> Delete(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/> and returns its old value; null when it was missing.</summary>
    Deferred<byte[]?> Remove(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/> (UTF-8) and returns its old value; null when it was missing.</summary>
    Deferred<byte[]?> Remove(string key, CancellationToken cancellationToken = default);

    /// <summary>Moves the value of <paramref name="from"/> to <paramref name="to"/>; false when <paramref name="from"/> was missing.</summary>
    Deferred<bool> Rename(byte[] from, byte[] to, CancellationToken cancellationToken = default);

    /// <summary>Renames with UTF-8 keys.</summary>
    Deferred<bool> Rename(string from, string to, CancellationToken cancellationToken = default);

    /// <summary>Deletes every key starting with <paramref name="prefix"/> (empty: every key).</summary>
    Deferred<Unit> Prune(byte[] prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes every key starting with <paramref name="prefix"/> (UTF-8).</summary>
    Deferred<Unit> Prune(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="key"/> expire after <paramref name="seconds"/> (a real 1.9.0 server never fires it, §7.5).</summary>
    Deferred<Unit> SetExpiry(byte[] key, ulong seconds, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="key"/> (UTF-8) expire after <paramref name="seconds"/>.</summary>
    Deferred<Unit> SetExpiry(string key, ulong seconds, CancellationToken cancellationToken = default);

    /// <summary>Forgets the expiry of <paramref name="key"/>.</summary>
    Deferred<Unit> RemoveExpiry(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>Forgets the expiry of <paramref name="key"/> (UTF-8).</summary>
    Deferred<Unit> RemoveExpiry(string key, CancellationToken cancellationToken = default);

    /// <summary>Forgets every expiry.</summary>
    Deferred<Unit> ClearExpiries(CancellationToken cancellationToken = default);

    /// <summary>The keys in <paramref name="range"/>, read on the master; cold, paged.</summary>
    IObservable<byte[]> ListKeys(KeyspaceRange? range = null);

    /// <summary>The keys in <paramref name="range"/> from any node's copy; cold, paged.</summary>
    IObservable<byte[]> DirtyListKeys(KeyspaceRange? range = null);

    /// <summary>The pairs in <paramref name="range"/>, read on the master; cold, paged.</summary>
    IObservable<KeyspaceKeyValue> ListKeyValues(KeyspaceRange? range = null);

    /// <summary>The pairs in <paramref name="range"/> from any node's copy; cold, paged.</summary>
    IObservable<KeyspaceKeyValue> DirtyListKeyValues(KeyspaceRange? range = null);

    /// <summary>The keys in <paramref name="range"/>, read on the master, page by page as the consumer pulls.</summary>
    IAsyncEnumerable<byte[]> ListKeysAsync(KeyspaceRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>The keys in <paramref name="range"/> from any node's copy, page by page.</summary>
    IAsyncEnumerable<byte[]> DirtyListKeysAsync(KeyspaceRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>The pairs in <paramref name="range"/>, read on the master, page by page.</summary>
    IAsyncEnumerable<KeyspaceKeyValue> ListKeyValuesAsync(KeyspaceRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>The pairs in <paramref name="range"/> from any node's copy, page by page.</summary>
    IAsyncEnumerable<KeyspaceKeyValue> DirtyListKeyValuesAsync(KeyspaceRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many keys <paramref name="range"/> holds, on the master. Safe on ranges of any size: the server's count is
    /// asked with a limit of at most 999, and a range that reaches it is counted by listing its keys (§15). (A listing
    /// leaves out the empty key, which the server's count includes.)
    /// </summary>
    Deferred<long> Count(KeyspaceRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>How many keys <paramref name="range"/> holds in any node's copy; as <see cref="Count"/>.</summary>
    Deferred<long> DirtyCount(KeyspaceRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> read on the master, unpacked; default when missing.</summary>
    Deferred<T?> Get<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> (UTF-8) read on the master, unpacked; default when missing.</summary>
    Deferred<T?> Get<T>(string key, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> read on any connected node, unpacked; default when missing.</summary>
    Deferred<T?> DirtyGet<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> packed by <paramref name="packer"/>.</summary>
    Deferred<Unit> Set<T>(byte[] key, T value, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> packed by <paramref name="packer"/> under a UTF-8 key.</summary>
    Deferred<Unit> Set<T>(string key, T value, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>Test-and-set on packed values: swapped when the stored bytes now equal the packed new value.</summary>
    Deferred<bool> TestAndSet<T>(byte[] key, T test, T value, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/> and returns its old value unpacked; default when it was missing.</summary>
    Deferred<T?> Remove<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary>The keys and unpacked values of <paramref name="range"/>, read on the master; cold.</summary>
    IObservable<KeyValuePair<byte[], T>> ListKeyValues<T>(IValuePacker<T> packer, KeyspaceRange? range = null);
}
