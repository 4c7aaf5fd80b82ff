using System.Globalization;

namespace ReactiveKv.Pegasus;

/// <summary>The server's value rules: C <c>strtoll(s, &amp;end, 0)</c> over a whole value, check types, key filters.</summary>
internal static class ValueRules
{
    /// <summary>Parses like strtoll with base 0 (decimal, 0x hex, leading-0 octal, leading whitespace, sign) and requires the whole input to be used.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> value, out long result)
    {
        result = 0;
        var i = 0;
        while (i < value.Length && value[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v')
        {
            i++;
        }

        var negative = false;
        if (i < value.Length && value[i] is (byte)'+' or (byte)'-')
        {
            negative = value[i] == '-';
            i++;
        }

        var radix = 10;
        if (i + 1 < value.Length && value[i] == '0' && value[i + 1] is (byte)'x' or (byte)'X')
        {
            radix = 16;
            i += 2;
        }
        else if (i < value.Length && value[i] == '0')
        {
            radix = 8;
        }

        if (i >= value.Length)
        {
            return false;
        }

        System.Numerics.BigInteger magnitude = 0;
        for (; i < value.Length; i++)
        {
            var digit = Digit(value[i]);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            magnitude = magnitude * radix + digit;
        }

        var signed = negative ? -magnitude : magnitude;
        if (signed < long.MinValue || signed > long.MaxValue)
        {
            return false;
        }

        result = (long)signed;
        return true;
    }

    /// <summary>Whether the check passes; null when the check type or an int operand is invalid (error 4).</summary>
    public static bool? Check(int type, byte[]? current, byte[] operand)
    {
        switch (type)
        {
            case 0: return true;
            case 1: return current is null;
            case 2: return current is null || current.Length == 0;
            case 3: return current is not null;
            case 4: return current is { Length: > 0 };
        }

        if (type is < 5 or > 17)
        {
            return null;
        }

        if (type <= 12)
        {
            if (current is null)
            {
                return false;
            }

            var order = current.AsSpan().SequenceCompareTo(operand);
            return type switch
            {
                5 => operand.Length == 0 || current.AsSpan().IndexOf(operand) >= 0,
                6 => operand.Length == 0 || current.AsSpan().StartsWith(operand),
                7 => operand.Length == 0 || current.AsSpan().EndsWith(operand),
                8 => order < 0,
                9 => order <= 0,
                10 => order == 0,
                11 => order >= 0,
                _ => order > 0,
            };
        }

        if (current is null)
        {
            return false;
        }

        if (!TryParseInt64(current, out var left) || !TryParseInt64(operand, out var right))
        {
            return null;
        }

        return type switch
        {
            13 => left < right,
            14 => left <= right,
            15 => left == right,
            16 => left >= right,
            _ => left > right,
        };
    }

    /// <summary>Filter match; null for an unknown filter type (error 4). An empty pattern matches everything.</summary>
    public static bool? Matches(int filterType, ReadOnlySpan<byte> key, byte[] pattern) => filterType switch
    {
        0 => true,
        1 => pattern.Length == 0 || key.IndexOf(pattern) >= 0,
        2 => pattern.Length == 0 || key.StartsWith(pattern),
        3 => pattern.Length == 0 || key.EndsWith(pattern),
        _ => null,
    };

    public static byte[] Decimal(long value) => System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static int Digit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
