using System.Reactive;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// What a Kyoto Tycoon client does, for code that should not depend on <see cref="KtClient"/> (and for fakes in its
/// tests). Every operation returns a <see cref="Deferred{T}"/> already on its way and takes an optional
/// <see cref="CancellationToken"/>: cancelling fails that operation's Deferred with <see cref="OperationCanceledException"/>.
/// The request may already be on the wire and the server may still apply it; its reply (answers come strictly in order)
/// is read and dropped, so the connection and the other calls' answers are unaffected.
/// </summary>
public interface IKtClient : IConnectableClient
{
    /// <summary>The options it was made with.</summary>
    KtOptions Options { get; }

    /// <summary>
    /// Calls an RPC procedure with the given inputs (DB added from the options unless present) and fires with the
    /// HTTP status and the output map, for any status; the typed methods interpret it. Names starting with <c>_</c>
    /// (bulk keys) are sent as Latin-1, one byte per char, so binary keys survive; other names as UTF-8.
    /// </summary>
    Deferred<(int Status, IReadOnlyList<(byte[] Name, byte[] Value)> Output)> Call(string procedure, IEnumerable<(string Name, byte[] Value)> input, CancellationToken cancellationToken = default);

    /// <summary><c>play_script</c>: runs a server-side script procedure; inputs go as <c>_name</c>, outputs come back without the underscore.</summary>
    Deferred<IReadOnlyDictionary<string, byte[]>> PlayScript(string name, IReadOnlyDictionary<string, byte[]> input, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binary <c>play_script</c> (0xB4): names go as they are (no underscore). A failed script is a
    /// <see cref="KtException"/> and the connection stays usable; with <paramref name="noReply"/> it fires null at once.
    /// </summary>
    Deferred<IReadOnlyDictionary<string, byte[]>?> PlayScriptBinary(string name, IReadOnlyDictionary<string, byte[]> input, bool noReply = false, CancellationToken cancellationToken = default);

    /// <summary><c>tune_replication</c>: makes the server a slave of <paramref name="host"/> (null stops replicating) from a timestamp, polling at an interval.</summary>
    Deferred<Unit> TuneReplication(string? host, int? port = null, ulong? timestamp = null, TimeSpan? interval = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>ulog_list</c> (undocumented): the server's update-log files, oldest first. A server started without
    /// <c>-ulog</c> answers 400, a <see cref="KtException"/>.
    /// </summary>
    Deferred<IReadOnlyList<KtUpdateLogFile>> UpdateLogFiles(CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>ulog_remove</c> (undocumented): deletes update-log files whose newest record is at or before
    /// <paramref name="upTo"/> (null: all of them), never the newest file. Slaves behind that point lose those records.
    /// </summary>
    Deferred<Unit> RemoveUpdateLogFiles(ulong? upTo = null, CancellationToken cancellationToken = default);

    /// <summary><c>synchronize</c>: flushes the database to its device (<paramref name="hard"/>: physically), then optionally runs a server command.</summary>
    Deferred<Unit> Synchronize(bool hard = false, string? command = null, CancellationToken cancellationToken = default);

    /// <summary><c>match_similar</c>: keys within Levenshtein distance <paramref name="range"/> of <paramref name="origin"/> (by UTF-8 characters with <paramref name="utf"/>).</summary>
    Deferred<IReadOnlyList<byte[]>> MatchSimilar(byte[] origin, long range = 1, bool utf = false, long? max = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binary <c>set_bulk</c> (0xB8) on database index <paramref name="db"/>: fires with how many were stored, or
    /// with null at once when <paramref name="noReply"/> (nothing comes back; errors go unseen, as the protocol has it).
    /// </summary>
    Deferred<long?> SetBulkBinary(IEnumerable<KeyValuePair<byte[], byte[]>> records, KtExpiry expiry = default, ushort db = 0, bool noReply = false, CancellationToken cancellationToken = default);

    /// <summary>Binary <c>remove_bulk</c> (0xB9): how many existed and were removed; null at once with <paramref name="noReply"/>.</summary>
    Deferred<long?> RemoveBulkBinary(IEnumerable<byte[]> keys, ushort db = 0, bool noReply = false, CancellationToken cancellationToken = default);

    /// <summary>Binary <c>get_bulk</c> (0xBA): hits in request order, with their expiry; misses are left out.</summary>
    Deferred<IReadOnlyList<KtRecord>> GetBulkBinary(IEnumerable<byte[]> keys, ushort db = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>SIGNAL</c> (on a <c>void</c> call): wakes the oldest request waiting on <paramref name="condition"/>, or every
    /// one with <paramref name="broadcast"/> (<c>SIGNALBROAD</c>); fires with how many were woken. A signal with
    /// nobody waiting is lost, as with any condition variable.
    /// </summary>
    Deferred<int> Signal(string condition, bool broadcast = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>WAIT</c> (on a <c>void</c> call): true once another client signals <paramref name="condition"/>, false when
    /// <paramref name="timeout"/> (ktserver's default: 30 s) passes first (the server's 503). The wait holds a
    /// connection, so it runs on one of its own, closed afterwards; this client's pipelined connection never stalls.
    /// </summary>
    Deferred<bool> WaitFor(string condition, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A cold stream of records walked with a server cursor: each subscription jumps a new cursor to
    /// <paramref name="startKey"/> (or the first record; the last with <paramref name="backward"/>, tree databases only),
    /// reads one record per round trip, and deletes the cursor when it completes or is disposed.
    /// </summary>
    IObservable<KtRecord> Cursor(byte[]? startKey = null, bool backward = false);

    /// <summary>A cursor of this client's connection, driven step by step; dispose it to free it on the server.</summary>
    KtCursorHandle OpenCursor();

    /// <summary><c>get</c> through a packer: the unpacked value, or default when the record is missing.</summary>
    Deferred<T?> Get<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default);

    /// <summary><c>set</c> through a packer.</summary>
    Deferred<System.Reactive.Unit> Set<T>(byte[] key, T value, IValuePacker<T> packer, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary><c>void</c>: a round trip that does nothing.</summary>
    Deferred<Unit> Void(CancellationToken cancellationToken = default);

    /// <summary><c>echo</c>: the server returns the input map as it received it.</summary>
    Deferred<IReadOnlyDictionary<string, string>> Echo(IReadOnlyDictionary<string, string> input, CancellationToken cancellationToken = default);

    /// <summary><c>report</c>: server-wide counters and configuration.</summary>
    Deferred<IReadOnlyDictionary<string, string>> Report(CancellationToken cancellationToken = default);

    /// <summary><c>status</c>: the database's count, size and type-dependent keys.</summary>
    Deferred<IReadOnlyDictionary<string, string>> Status(CancellationToken cancellationToken = default);

    /// <summary><c>clear</c>: removes every record of the database.</summary>
    Deferred<Unit> Clear(CancellationToken cancellationToken = default);

    /// <summary><c>set</c>: stores the value, replacing any record (and its expiry).</summary>
    Deferred<Unit> Set(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary><c>add</c>: stores the value only if the key is new; false when it already exists.</summary>
    Deferred<bool> Add(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary><c>replace</c>: stores the value only if the key exists; false when it does not.</summary>
    Deferred<bool> Replace(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary><c>append</c>: appends to the value (creating the record). Like the server, it replaces the expiry: pass it again to keep one.</summary>
    Deferred<Unit> Append(byte[] key, byte[] value, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>increment</c>: adds <paramref name="num"/> to an 8-byte big-endian counter; a missing record starts at
    /// <paramref name="orig"/> (a number, 0 by default), or fails (<see cref="KtIncrementOrigin.Try"/>), and
    /// <see cref="KtIncrementOrigin.Set"/> stores <paramref name="num"/> outright. A value that is not an 8-byte counter,
    /// or a missing one under <c>Try</c>, is a <see cref="KtException"/> with status 450.
    /// </summary>
    Deferred<long> Increment(byte[] key, long num, KtIncrementOrigin orig = default, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>increment_double</c>: the 16-byte fixed-point counter, with the same <paramref name="orig"/> choices as
    /// <see cref="Increment"/>; the server prints the result with 6 decimals.
    /// </summary>
    Deferred<decimal> IncrementDouble(byte[] key, decimal num, KtIncrementOrigin orig = default, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>cas</c>: replaces <paramref name="oldValue"/> with <paramref name="newValue"/> atomically; a null old value
    /// means "must not exist", a null new value means "remove". False when the current state differs.
    /// </summary>
    Deferred<bool> Cas(byte[] key, byte[]? oldValue, byte[]? newValue, KtExpiry expiry = default, CancellationToken cancellationToken = default);

    /// <summary><c>remove</c>: false when there was no such record.</summary>
    Deferred<bool> Remove(byte[] key, CancellationToken cancellationToken = default);

    /// <summary><c>get</c>: the record, or null when missing or expired.</summary>
    Deferred<KtRecord?> Get(byte[] key, CancellationToken cancellationToken = default);

    /// <summary><c>check</c>: the value's size, or null when the record is missing.</summary>
    Deferred<long?> Check(byte[] key, CancellationToken cancellationToken = default);

    /// <summary><c>seize</c>: gets and removes the record atomically; null when it was missing.</summary>
    Deferred<KtRecord?> Seize(byte[] key, CancellationToken cancellationToken = default);

    /// <summary><c>set_bulk</c>: stores every record with one expiry; fires with how many were stored.</summary>
    Deferred<long> SetBulk(IEnumerable<KeyValuePair<byte[], byte[]>> records, KtExpiry expiry = default, bool atomic = false, CancellationToken cancellationToken = default);

    /// <summary><c>remove_bulk</c>: fires with how many existed and were removed (missing keys are not errors).</summary>
    Deferred<long> RemoveBulk(IEnumerable<byte[]> keys, bool atomic = false, CancellationToken cancellationToken = default);

    /// <summary><c>get_bulk</c>: the records that exist (the server reports no expiry here).</summary>
    Deferred<IReadOnlyList<KtRecord>> GetBulk(IEnumerable<byte[]> keys, bool atomic = false, CancellationToken cancellationToken = default);

    /// <summary><c>vacuum</c>: reclaims expired records (a step count, or the whole DB).</summary>
    Deferred<Unit> Vacuum(long? step = null, CancellationToken cancellationToken = default);

    /// <summary><c>match_prefix</c>: keys starting with <paramref name="prefix"/>, in the server's order.</summary>
    Deferred<IReadOnlyList<byte[]>> MatchPrefix(byte[] prefix, long? max = null, CancellationToken cancellationToken = default);

    /// <summary><c>match_regex</c>: keys matching a POSIX extended regex; a bad regex is a 450 <see cref="KtException"/>.</summary>
    Deferred<IReadOnlyList<byte[]>> MatchRegex(string regex, long? max = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A hot stream of the master's update log from <paramref name="fromTimestamp"/> (0 = the oldest it keeps), as a
    /// slave with id <paramref name="serverId"/>: records of other servers (or, with <paramref name="whiteSid"/>,
    /// only of that id). It answers every keep-alive, reconnects after a drop from the last timestamp it saw (no
    /// record lost or repeated), and is shared by its subscribers; the last one to leave closes it.
    /// </summary>
    IObservable<ReplicationRecord> Replicate(ulong fromTimestamp, ushort serverId, bool whiteSid = false);

    /// <summary>REST GET: the record (with its expiry from <c>X-Kt-Xt</c>), or null on 404.</summary>
    Deferred<KtRecord?> RestGet(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>REST HEAD: the value's size, or null on 404.</summary>
    Deferred<long?> RestHead(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>
    /// REST PUT with <c>X-Kt-Mode</c>; false when add found the key or replace did not. <paramref name="expiresAt"/>
    /// goes out as an absolute <c>X-Kt-Xt</c>, which is all REST understands (a relative number would mean 1970).
    /// </summary>
    Deferred<bool> RestPut(byte[] key, byte[] value, KtRestMode mode = KtRestMode.Set, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default);

    /// <summary>REST DELETE: false on 404.</summary>
    Deferred<bool> RestDelete(byte[] key, CancellationToken cancellationToken = default);
}
