namespace ReactiveKv.Amqp;

/// <summary>
/// An AMQP timestamp: whole seconds since the Unix epoch, kept as the wire's 64 bits because not every such value is
/// a <see cref="DateTimeOffset"/>. Tables decode 'T' to this and the timestamp property is one; a
/// <see cref="DateTimeOffset"/> put in a table is encoded as one (its fraction of a second dropped).
/// </summary>
/// <param name="UnixSeconds">Seconds since 1970-01-01T00:00:00Z.</param>
public readonly record struct AmqpTimestamp(long UnixSeconds)
{
    /// <summary>The time, to the second.</summary>
    public static AmqpTimestamp FromDateTimeOffset(DateTimeOffset time) => new(time.ToUnixTimeSeconds());

    /// <summary>The timestamp as a UTC <see cref="DateTimeOffset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The seconds fall outside years 1 to 9999.</exception>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);

    /// <inheritdoc />
    public override string ToString() => UnixSeconds is >= -62135596800 and <= 253402300799 ? ToDateTimeOffset().ToString("u", System.Globalization.CultureInfo.InvariantCulture) : $"@{UnixSeconds}";
}
