namespace ReactiveKv.Fuzzing;

/// <summary>One input a decoder mishandled: the bytes, and what went wrong (an untyped exception, no progress, unbounded buffering, a split stream decoded differently).</summary>
/// <param name="Target">The decoder's name in the catalog.</param>
/// <param name="Input">The bytes that were fed.</param>
/// <param name="What">What happened.</param>
public sealed record FuzzFailure(string Target, byte[] Input, string What)
{
    /// <summary>The line the fuzz command prints: <c>FAIL fuzz &lt;decoder&gt; &lt;hex&gt; &lt;what&gt;</c>.</summary>
    public override string ToString() => $"FAIL fuzz {Target} {Convert.ToHexString(Input)} {What}";
}
