namespace ReactiveKv.Pegasus;

/// <summary>Pegasus expiry times: absolute seconds since 2016-01-01 00:00:00 UTC, 0 meaning never.</summary>
public static class PegasusEpoch
{
    /// <summary>2016-01-01 in Unix seconds.</summary>
    public const long UnixOffset = 1451606400;

    /// <summary>Seconds since the Pegasus epoch at <paramref name="now"/>.</summary>
    public static int Seconds(DateTimeOffset now) => (int)(now.ToUnixTimeSeconds() - UnixOffset);

    /// <summary>The absolute expiry for a TTL from <paramref name="now"/>; a TTL of zero (or less) means none (0).</summary>
    public static int ExpireAt(DateTimeOffset now, TimeSpan ttl) =>
        ttl <= TimeSpan.Zero ? 0 : checked(Seconds(now) + (int)Math.Ceiling(ttl.TotalSeconds));

    /// <summary>True when a record with <paramref name="expireTs"/> is expired at <paramref name="nowSeconds"/>.</summary>
    public static bool IsExpired(int expireTs, int nowSeconds) => expireTs > 0 && expireTs <= nowSeconds;
}
