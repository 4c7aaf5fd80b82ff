namespace ReactiveKv.Amqp;

/// <summary>
/// A field-table decimal ('D'): <see cref="Value"/> × 10^-<see cref="Scale"/>, kept exactly as on the wire because
/// a scale above 28 has no <see cref="decimal"/>. Tables decode 'D' to this; a <see cref="decimal"/> put in a table
/// is encoded as one when it fits.
/// </summary>
/// <param name="Scale">How many decimal digits <see cref="Value"/> has after the point.</param>
/// <param name="Value">The unscaled digits. The spec calls them unsigned and RabbitMQ parses them so; the .NET and Java clients read them signed, as this does.</param>
public readonly record struct AmqpDecimal(byte Scale, int Value)
{
    private const int MaxDecimalScale = 28;

    /// <summary>The value as a <see cref="decimal"/>, which keeps the scale (1.50 stays 1.50).</summary>
    /// <exception cref="OverflowException">The scale is above 28.</exception>
    public decimal ToDecimal()
    {
        if (Scale > MaxDecimalScale)
        {
            throw new OverflowException($"An AMQP decimal with scale {Scale} has no System.Decimal; the largest scale is 28.");
        }

        // The low word is read unsigned, so int.MinValue's magnitude survives the cast.
        return new decimal(unchecked((int)(uint)Math.Abs((long)Value)), 0, 0, Value < 0, Scale);
    }

    /// <summary>The decimal with its own scale, when its digits fit 32 bits.</summary>
    /// <exception cref="OverflowException">The digits need more than 32 bits (signed).</exception>
    public static AmqpDecimal FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        var negative = bits[3] < 0;
        if (bits[1] != 0 || bits[2] != 0 || (uint)bits[0] > (negative ? 0x8000_0000u : int.MaxValue))
        {
            throw new OverflowException($"{value} has more digits than an AMQP decimal's 32 bits hold.");
        }

        return new AmqpDecimal(scale, negative ? (int)-(long)(uint)bits[0] : bits[0]);
    }

    /// <inheritdoc />
    public override string ToString() => Scale <= MaxDecimalScale ? ToDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Value}e-{Scale}";
}
