namespace ReactiveKv.KyotoTycoon;

/// <summary>One update-log file as <c>ulog_list</c> reports it.</summary>
/// <param name="Path">The file's path on the server.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="LastTimestamp">The timestamp of its newest record (what <c>ulog_remove</c> compares).</param>
public sealed record KtUpdateLogFile(string Path, long Size, ulong LastTimestamp);
