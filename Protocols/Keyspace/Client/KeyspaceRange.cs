using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Which keys a listing or count visits: those starting with <see cref="Prefix"/>, from <see cref="StartKey"/>
/// (a full key, inclusive, as in the reference library's API), in <see cref="Direction"/>, skipping
/// <see cref="Offset"/> keys first, at most <see cref="Limit"/> of them (0: no limit).
/// </summary>
public sealed record KeyspaceRange
{
    /// <summary>Every key.</summary>
    public static readonly KeyspaceRange All = new();

    /// <summary>The keys' common prefix; empty for every key.</summary>
    public byte[] Prefix { get; init; } = [];

    /// <summary>The full key to start at, inclusive; empty to start at the prefix range's first (or, backward, last) key.</summary>
    public byte[] StartKey { get; init; } = [];

    /// <summary>At most this many keys; 0 for no limit.</summary>
    public long Limit { get; init; }

    /// <summary>
    /// How many keys the server skips first. This is the server's offset (spec §7.6): it skips the first visited keys
    /// whatever they are, and when the start key does not exist the first key after it is skipped too.
    /// </summary>
    public long Offset { get; init; }

    /// <summary>Forward (default) or backward.</summary>
    public KeyspaceDirection Direction { get; init; }

    /// <summary>Keys starting with <paramref name="prefix"/> (UTF-8).</summary>
    public static KeyspaceRange WithPrefix(string prefix) => new() { Prefix = Encoding.UTF8.GetBytes(prefix) };
}
