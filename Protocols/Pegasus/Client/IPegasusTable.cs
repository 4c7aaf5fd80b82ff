using System.Reactive;

namespace ReactiveKv.Pegasus;

/// <summary>
/// A Pegasus table's operations, for code that should not depend on <see cref="PegasusTable"/> (and for fakes in its
/// tests). Every operation returns a <see cref="Deferred{T}"/> already on its way and takes an optional
/// <see cref="CancellationToken"/>: a token cancelled before the call keeps it from being sent; one cancelled later fails
/// the call with <see cref="OperationCanceledException"/> (a write the server already received may still be applied).
/// Replies are matched by sequence id, so a cancelled call's late reply is dropped and other calls are unaffected.
/// </summary>
public interface IPegasusTable
{
    /// <summary>The table's name.</summary>
    string Name { get; }

    /// <summary>The table's id on the cluster.</summary>
    int AppId { get; }

    /// <summary>Number of partitions.</summary>
    int PartitionCount { get; }

    /// <summary>The value, or null when the record does not exist (or expired).</summary>
    Deferred<byte[]?> Get(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default);

    /// <summary>Writes a value, with an optional time to live.</summary>
    Deferred<Unit> Set(byte[] hashKey, byte[] sortKey, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a record; removing a missing one succeeds.</summary>
    Deferred<Unit> Remove(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default);

    /// <summary>True when the record exists (and has not expired).</summary>
    Deferred<bool> Exist(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default);

    /// <summary>Seconds left to live: -1 when the record never expires, null when it does not exist.</summary>
    Deferred<int?> Ttl(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="increment"/> to an integer value (a missing record counts as 0). <paramref name="ttlSeconds"/>: 0 keeps the record's TTL, -1 removes it, &gt; 0 sets it.</summary>
    Deferred<long> Incr(byte[] hashKey, byte[] sortKey, long increment, int ttlSeconds = 0, CancellationToken cancellationToken = default);

    /// <summary>Number of (live) sort keys under a hash key.</summary>
    Deferred<long> SortKeyCount(byte[] hashKey, CancellationToken cancellationToken = default);

    /// <summary>Writes several sort keys of one hash key atomically, with one optional TTL.</summary>
    Deferred<Unit> MultiSet(byte[] hashKey, IReadOnlyList<KeyValuePair<byte[], byte[]>> values, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Removes several sort keys of one hash key; fires with how many were asked to be removed (as the server counts).</summary>
    Deferred<long> MultiDel(byte[] hashKey, IReadOnlyList<byte[]> sortKeys, CancellationToken cancellationToken = default);

    /// <summary>Reads the given sort keys of one hash key (missing ones are left out). Limits of 0 mean none.</summary>
    Deferred<MultiGetResult> MultiGet(byte[] hashKey, IReadOnlyList<byte[]> sortKeys, int maxCount = 0, int maxSize = 0, bool noValue = false, CancellationToken cancellationToken = default);

    /// <summary>Reads a sort-key range of one hash key; an empty stop key means to the end.</summary>
    Deferred<MultiGetResult> MultiGet(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, MultiGetOptions? options = null, int maxCount = 100, int maxSize = 1_000_000, CancellationToken cancellationToken = default);

    /// <summary>The sort keys of a hash key (up to the limits), without values.</summary>
    Deferred<MultiGetResult> GetSortKeys(byte[] hashKey, int maxCount = 100, int maxSize = 1_000_000, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="setValue"/> under <paramref name="setSortKey"/> if the check on <paramref name="checkSortKey"/> passes.</summary>
    Deferred<CheckAndSetResult> CheckAndSet(byte[] hashKey, byte[] checkSortKey, CheckType checkType, byte[] checkOperand, byte[] setSortKey, byte[] setValue, TimeSpan? ttl = null, bool returnCheckValue = false, CancellationToken cancellationToken = default);

    /// <summary>Sets the value to <paramref name="desired"/> if it currently equals <paramref name="expected"/>; fires with the value found.</summary>
    Deferred<CheckAndSetResult> CompareExchange(byte[] hashKey, byte[] sortKey, byte[] expected, byte[] desired, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Forces a configuration refresh now (normally done on routing errors).</summary>
    Deferred<Unit> Refresh(CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="mutations"/> atomically if the check on <paramref name="checkSortKey"/> passes.</summary>
    Deferred<CheckAndSetResult> CheckAndMutate(byte[] hashKey, byte[] checkSortKey, CheckType checkType, byte[] checkOperand, IReadOnlyList<PegasusMutation> mutations, bool returnCheckValue = false, CancellationToken cancellationToken = default);

    /// <summary>Reads many records with one get each, all in flight at once; values in the order of <paramref name="keys"/> (null = not found).</summary>
    Deferred<IReadOnlyList<byte[]?>> BatchGet(IReadOnlyList<PegasusKeyPair> keys, CancellationToken cancellationToken = default);

    /// <summary>Reads many records with one BATCH_GET per partition (Java's batchGetByPartitions); values in the order of <paramref name="keys"/>.</summary>
    Deferred<IReadOnlyList<byte[]?>> BatchGetByPartitions(IReadOnlyList<PegasusKeyPair> keys, CancellationToken cancellationToken = default);

    /// <summary>Writes many records at once; fires with one entry per record: null when it was written, else its error.</summary>
    Deferred<IReadOnlyList<Exception?>> BatchSet(IReadOnlyList<PegasusRecord> records, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Removes many records at once; fires with one entry per key: null when it was removed, else its error.</summary>
    Deferred<IReadOnlyList<Exception?>> BatchDel(IReadOnlyList<PegasusKeyPair> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every sort key of <paramref name="hashKey"/> in a range (Java's delRange): reads the keys in batches
    /// of <paramref name="batchSize"/> without values and multi-deletes each batch. Fires with how many it removed.
    /// </summary>
    Deferred<long> DelRange(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, MultiGetOptions? options = null, int batchSize = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// A cold stream of the records of one hash key between two sort keys (an empty stop key means to the end).
    /// Each subscription opens its own scanner and fetches the next batch only after the subscriber took the
    /// previous one; disposing early releases the server context. <c>.Publish()</c> shares one scan.
    /// </summary>
    IObservable<PegasusRecord> GetScanner(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, ScanOptions? options = null);

    /// <summary>The same scan as an async stream, pulled batch by batch.</summary>
    IAsyncEnumerable<PegasusRecord> GetScannerAsync(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, ScanOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="maxSplit"/> cold streams that together cover every partition exactly once, in no
    /// particular key order (Java's unordered scanners). Partitions are dealt out as Java does.
    /// </summary>
    IReadOnlyList<IObservable<PegasusRecord>> GetUnorderedScanners(int maxSplit, ScanOptions? options = null);

    /// <summary>Every record of the table, all partitions one after another (one unordered scanner).</summary>
    IObservable<PegasusRecord> FullScan(ScanOptions? options = null);

    /// <summary>Counts the table's records on the servers (only_return_count), partition by partition.</summary>
    Deferred<long> Count(ScanOptions? options = null, CancellationToken cancellationToken = default);
}
