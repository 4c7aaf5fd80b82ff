namespace ReactiveKv.Fuzzing;

/// <summary>
/// One decoder as the fuzzer drives it: how to make a fresh one, valid streams to start from, and how far a
/// decoded frame is parsed. Subclasses bind the frame type; the fuzzer sees only bytes in and failures out.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>Creates the target.</summary>
    /// <param name="name">The name the fuzz command and the tests use.</param>
    /// <param name="seeds">Valid streams of whole frames, as a peer sends them.</param>
    /// <param name="maxPending">The most bytes the decoder may hold without a frame or an error (what its limits allow).</param>
    protected FuzzTarget(string name, IReadOnlyList<byte[]> seeds, long maxPending)
    {
        Name = name;
        Seeds = seeds;
        MaxPending = maxPending;
    }

    /// <summary>The decoder's name.</summary>
    public string Name { get; }

    /// <summary>Valid streams the mutations start from.</summary>
    public IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Bytes the decoder may buffer without deciding; holding more is unbounded growth.</summary>
    public long MaxPending { get; }

    /// <summary>Extra hostile inputs only this protocol can express (deep nesting and the like), or null.</summary>
    public Func<Random, byte[]>? Nasty { get; init; }

    /// <summary>
    /// Feeds <paramref name="input"/> in the chunks given and returns the decoded frames' views, or a failure.
    /// Typed protocol errors end the input normally (null views, no failure).
    /// </summary>
    public abstract (IReadOnlyList<string>? Views, string? Failure) Feed(byte[] input, IReadOnlyList<int> chunks, bool thenFill);
}
