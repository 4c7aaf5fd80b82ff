namespace ReactiveKv.Pegasus;

/// <summary>
/// The key checks the replica makes before touching a store. A composite key that lies about its hash-key length
/// would be stored and later break every scan of its partition (scans split each stored key), and a hash key of
/// 0xFFFF bytes or more cannot be composed at all; both are refused with kInvalidArgument and nothing is stored.
/// </summary>
internal static class RequestKeys
{
    /// <summary>A full key (put, remove, incr, get, ttl): see <see cref="PegasusKey.IsWellFormed"/>.</summary>
    public static bool FullKey(ReadOnlySpan<byte> key) => PegasusKey.IsWellFormed(key);

    /// <summary>A bare hash key (multi_*, check_and_*, sortkey_count, batch_get): it must fit the u16 length, below 0xFFFF.</summary>
    public static bool HashKey(ReadOnlySpan<byte> hashKey) => hashKey.Length <= PegasusKey.MaxHashKeyLength;

    /// <summary>Every hash key of a batch_get.</summary>
    public static bool BatchGet(BatchGetRequest request) => request.Keys.TrueForAll(k => HashKey(k.HashKey));

    /// <summary>
    /// A get_scanner's keys. The start is empty or a well-formed key: clients send a composed key, <c>00 00</c>, or the
    /// last key a scan returned. The stop is only a position in key order, never split, and clients legitimately send
    /// non-keys there (<c>FF FF</c> for a whole partition, next(prefix) whose length no longer matches), so any bytes
    /// pass. A prefix hash-key filter is composed into a start key, so it must fit a hash key.
    /// </summary>
    public static bool Scanner(GetScannerRequest request) =>
        (request.StartKey.Length == 0 || PegasusKey.IsWellFormed(request.StartKey)) &&
        !(request.HashKeyFilterType == 2 && !HashKey(request.HashKeyFilterPattern));
}
