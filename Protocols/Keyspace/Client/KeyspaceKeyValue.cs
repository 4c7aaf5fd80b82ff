namespace ReactiveKv.Keyspace;

/// <summary>One pair of a key-value listing.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">Its value.</param>
public sealed record KeyspaceKeyValue(byte[] Key, byte[] Value);
