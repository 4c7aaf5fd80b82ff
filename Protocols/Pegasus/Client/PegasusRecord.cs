namespace ReactiveKv.Pegasus;

/// <summary>One record: hash key, sort key, value (empty when values were not asked for).</summary>
/// <param name="HashKey">The hash key.</param>
/// <param name="SortKey">The sort key.</param>
/// <param name="Value">The value.</param>
public sealed record PegasusRecord(byte[] HashKey, byte[] SortKey, byte[] Value);
