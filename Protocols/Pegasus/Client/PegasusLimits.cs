namespace ReactiveKv.Pegasus;

/// <summary>Client-side limits checked before anything is sent, as the Java client's write limiter has them.</summary>
public sealed record PegasusLimits
{
    /// <summary>False turns the checks off.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Largest hash key or sort key.</summary>
    public int MaxKeyBytes { get; init; } = 1024;

    /// <summary>Largest single value.</summary>
    public int MaxValueBytes { get; init; } = 400 << 10;

    /// <summary>Most sort keys in one multi_set.</summary>
    public int MaxMultiSetCount { get; init; } = 1000;

    /// <summary>Largest total of one multi_set's values.</summary>
    public int MaxMultiSetBytes { get; init; } = 1 << 20;
}
