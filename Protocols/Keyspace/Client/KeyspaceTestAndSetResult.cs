namespace ReactiveKv.Keyspace;

/// <summary>
/// What a test-and-set did. The server answers OK whether it swapped or not, with the value now stored (spec §7.2),
/// so <see cref="Swapped"/> is that value compared with the new one: ambiguous (true) when the stored value already
/// equalled the new value, as in the reference library.
/// </summary>
/// <param name="Swapped">True when the value now stored equals the new value.</param>
/// <param name="Current">The value now stored; null when the key was missing (nothing was stored).</param>
public sealed record KeyspaceTestAndSetResult(bool Swapped, byte[]? Current);
