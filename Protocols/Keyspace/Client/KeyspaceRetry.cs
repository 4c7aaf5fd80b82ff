namespace ReactiveKv.Keyspace;

/// <summary>A call the client sent again by itself because it provably did not execute, or is a read.</summary>
/// <param name="Operation">The call as errors name it (<c>SET 'key'</c>).</param>
/// <param name="Key">Its key (empty for calls without one).</param>
/// <param name="Node">The node it was sent to before.</param>
/// <param name="Reason">Why it is sent again.</param>
public sealed record KeyspaceRetry(string Operation, byte[] Key, int Node, KeyspaceRetryReason Reason);
