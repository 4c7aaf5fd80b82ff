using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>One frame of a replication stream, master to slave.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Timestamp">The master's log timestamp (no-ops and records).</param>
/// <param name="Message">A record's log message, as a view into the receive buffer (valid only while it is handled).</param>
internal readonly record struct ReplicationFrame(ReplicationFrameKind Kind, ulong Timestamp, ReadOnlySequence<byte> Message);
