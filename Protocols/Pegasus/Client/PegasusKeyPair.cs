namespace ReactiveKv.Pegasus;

/// <summary>A record's address: hash key and sort key.</summary>
/// <param name="HashKey">The hash key.</param>
/// <param name="SortKey">The sort key.</param>
public readonly record struct PegasusKeyPair(byte[] HashKey, byte[] SortKey);
