namespace ReactiveKv.KyotoTycoon;

/// <summary>A record as Kyoto Tycoon returns it: key, value, and when it expires (null = never).</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value.</param>
/// <param name="ExpiresAt">Absolute expiry, or null when it never expires.</param>
public sealed record KtRecord(byte[] Key, byte[] Value, DateTimeOffset? ExpiresAt);
