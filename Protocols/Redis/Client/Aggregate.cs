namespace ReactiveKv.Redis;

/// <summary>How ZINTERSTORE/ZUNIONSTORE combine scores.</summary>
public enum Aggregate
{
    /// <summary>SUM (the default).</summary>
    Sum,

    /// <summary>MIN.</summary>
    Min,

    /// <summary>MAX.</summary>
    Max,
}
