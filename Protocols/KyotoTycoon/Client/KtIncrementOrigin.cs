using System.Globalization;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The <c>orig</c> of <c>increment</c>/<c>increment_double</c>: a number a missing record starts from (any
/// <see cref="long"/> or <see cref="decimal"/> converts to one), <see cref="Try"/> (fail with 450 when the record is
/// missing) or <see cref="Set"/> (ignore what is stored and store <c>num</c> itself).
/// </summary>
public readonly record struct KtIncrementOrigin
{
    private readonly string? _word;

    private KtIncrementOrigin(decimal number, string? word)
    {
        Number = number;
        _word = word;
    }

    /// <summary>Only increments an existing record; a missing one is a <see cref="KtException"/> with status 450.</summary>
    public static KtIncrementOrigin Try => new(0, "try");

    /// <summary>Stores <c>num</c> whatever the record held (the server's "+infinity" origin).</summary>
    public static KtIncrementOrigin Set => new(0, "set");

    /// <summary>The starting value for a missing record (0 by default); meaningless for <see cref="Try"/> and <see cref="Set"/>.</summary>
    public decimal Number { get; }

    /// <summary>A missing record starts at <paramref name="number"/>.</summary>
    public static implicit operator KtIncrementOrigin(long number) => new(number, null);

    /// <summary>A missing record starts at <paramref name="number"/>.</summary>
    public static implicit operator KtIncrementOrigin(decimal number) => new(number, null);

    /// <summary>A missing record starts at <paramref name="number"/>.</summary>
    public static KtIncrementOrigin From(decimal number) => new(number, null);

    /// <summary>The <c>orig</c> parameter as sent.</summary>
    internal string WireValue => _word ?? Number.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => WireValue;
}
