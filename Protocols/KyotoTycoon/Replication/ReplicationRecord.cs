namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One update-log record from a master: when (the master's timestamp: ms since the epoch × 1,000,000 + a counter),
/// which server it came from, which database, what happened, and the key and user value (the 5-byte expiry prefix
/// of a SET is decoded into <see cref="ExpiresAt"/>). <see cref="Message"/> keeps the raw bytes, as the seed does.
/// </summary>
/// <param name="Timestamp">The master's log timestamp.</param>
/// <param name="ServerId">The origin server id.</param>
/// <param name="Database">The database index on the origin.</param>
/// <param name="Op">Set, remove or clear.</param>
/// <param name="Key">The key (empty for a clear).</param>
/// <param name="Value">The user value of a set (empty otherwise).</param>
/// <param name="ExpiresAt">A set's expiry, or null for never.</param>
/// <param name="Message">The raw log message.</param>
public sealed record ReplicationRecord(ulong Timestamp, ushort ServerId, ushort Database, ReplicationOp Op, byte[] Key, byte[] Value, DateTimeOffset? ExpiresAt, byte[] Message);
