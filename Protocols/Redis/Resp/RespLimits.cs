namespace ReactiveKv.Redis;

/// <summary>Bounds on what the reply parser accepts before declaring the stream malformed.</summary>
/// <param name="MaxBulkLength">Longest bulk string (Redis's own proto-max-bulk-len default is 512 MiB).</param>
/// <param name="MaxAggregateLength">Most elements in one array, map, set or push.</param>
/// <param name="MaxLineLength">Longest simple string, error or number line.</param>
/// <param name="MaxDepth">Deepest nesting of aggregates.</param>
public sealed record RespLimits(long MaxBulkLength = 512L << 20, long MaxAggregateLength = 1L << 24, int MaxLineLength = 64 << 10, int MaxDepth = 64)
{
    /// <summary>Redis's defaults.</summary>
    public static RespLimits Default { get; } = new();

    internal static RespLimits Unlimited { get; } = new(long.MaxValue, long.MaxValue, int.MaxValue, int.MaxValue);
}
