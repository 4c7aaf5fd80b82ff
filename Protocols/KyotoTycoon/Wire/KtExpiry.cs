using System.Globalization;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// When a record expires, as Kyoto Tycoon's <c>xt</c> parameter carries it: never (the parameter is left out),
/// after a relative number of seconds (<c>xt &gt; 0</c>), or at an absolute time (<c>xt = -epoch</c>). The
/// protocol's "0 or empty means expire now" is deliberately not expressible: no one asks for it by accident.
/// </summary>
public readonly record struct KtExpiry
{
    private readonly long _xt;

    private KtExpiry(long xt) => _xt = xt;

    /// <summary>No expiration.</summary>
    public static KtExpiry Never => default;

    /// <summary>Internally, times at or above 2^40-1 mean never.</summary>
    internal const long NeverAbsolute = (1L << 40) - 1;

    /// <summary>True for <see cref="Never"/>.</summary>
    public bool IsNever => _xt == 0;

    /// <summary>Expires <paramref name="ttl"/> from when the server applies the write (rounded up to whole seconds, at least 1).</summary>
    public static KtExpiry In(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return new((long)Math.Max(1, Math.Ceiling(ttl.TotalSeconds)));
    }

    /// <summary>Expires at <paramref name="time"/> (whole seconds).</summary>
    public static KtExpiry At(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(seconds, 0, nameof(time));
        return new(-seconds);
    }

    /// <summary>The RPC <c>xt</c> value, or null when the parameter must be left out.</summary>
    internal string? RpcValue => IsNever ? null : _xt.ToString(CultureInfo.InvariantCulture);

    /// <summary>The binary protocol's xt: the same signed convention, never as INT64_MAX.</summary>
    internal long BinaryValue => IsNever ? long.MaxValue : _xt;

    /// <summary>The absolute expiry in epoch seconds at <paramref name="nowSeconds"/>, or <see cref="NeverAbsolute"/>.</summary>
    internal static long Resolve(long xt, long nowSeconds)
    {
        var absolute = xt > 0 ? nowSeconds + xt : -xt;
        return xt == long.MaxValue || absolute >= NeverAbsolute || absolute < 0 ? NeverAbsolute : absolute;
    }

    /// <summary>
    /// The date an absolute expiry (seconds since the epoch, as the wire carries it) names, or null for "never": the
    /// never marker, and any time past what a <see cref="DateTimeOffset"/> holds (a peer's bytes can say anything).
    /// </summary>
    internal static DateTimeOffset? AbsoluteToDate(long xt) =>
        xt >= NeverAbsolute || xt > MaxUnixSeconds ? null : DateTimeOffset.FromUnixTimeSeconds(Math.Max(xt, MinUnixSeconds));

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();

    /// <inheritdoc />
    public override string ToString() => IsNever ? "never" : _xt > 0 ? $"in {_xt} s" : AbsoluteToDate(-_xt) is { } at ? $"at {at:u}" : "never";
}
