namespace ReactiveKv.Redis;

/// <summary>One page of a SCAN-family walk.</summary>
internal sealed record ScanPage(string Cursor, string?[] Items);
