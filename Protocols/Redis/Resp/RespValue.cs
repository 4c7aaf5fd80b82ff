using System.Globalization;
using System.Numerics;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// A decoded reply of any type, for commands without a typed method (<see cref="IRedisCommands.Execute(string, RedisValue[])"/>).
/// Strings keep their raw bytes; <see cref="ToString"/> renders the value as redis-cli does.
/// </summary>
public sealed class RespValue
{
    private static readonly IReadOnlyList<RespValue> NoItems = [];

    private RespValue(RespType type)
    {
        Type = type;
    }

    /// <summary>The reply type.</summary>
    public RespType Type { get; }

    /// <summary>True for RESP2 null bulk strings and arrays, and RESP3 nulls.</summary>
    public bool IsNull { get; private init; }

    /// <summary>Raw bytes of a string, error, number, verbatim string or big number.</summary>
    public byte[]? Bytes { get; private init; }

    /// <summary>The integer of an integer reply.</summary>
    public long Integer { get; private init; }

    /// <summary>The value of a double reply.</summary>
    public double Double { get; private init; }

    /// <summary>The value of a boolean reply.</summary>
    public bool Boolean { get; private init; }

    /// <summary>Elements of an array, set or push; keys and values alternating for a map.</summary>
    public IReadOnlyList<RespValue> Items { get; private init; } = NoItems;

    /// <summary>The bytes as UTF-8 text (verbatim strings without their format prefix), or null.</summary>
    public string? Text => Bytes is null ? null : Type == RespType.VerbatimString && Bytes.Length >= 4
        ? Encoding.UTF8.GetString(Bytes, 4, Bytes.Length - 4)
        : Encoding.UTF8.GetString(Bytes);

    /// <summary>A big number reply's value.</summary>
    public BigInteger BigNumber => BigInteger.Parse(Text ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Key/value pairs of a map reply.</summary>
    public IEnumerable<KeyValuePair<RespValue, RespValue>> Pairs()
    {
        for (var i = 0; i + 1 < Items.Count; i += 2)
        {
            yield return new(Items[i], Items[i + 1]);
        }
    }

    /// <summary>An array of <paramref name="items"/> (a cluster client's merge of per-node replies).</summary>
    internal static RespValue ArrayOf(IReadOnlyList<RespValue> items) => new(RespType.Array) { Items = items };

    /// <summary>An integer reply (a sum of per-node counts).</summary>
    internal static RespValue IntegerOf(long value) =>
        new(RespType.Integer) { Integer = value, Bytes = System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)) };

    internal static RespValue From(in RawReply reply)
    {
        if (reply.IsNull)
        {
            return new RespValue(reply.Type) { IsNull = true };
        }

        switch (reply.Type)
        {
            case RespType.Integer:
                reply.TryInteger(out var integer);
                return new RespValue(reply.Type) { Integer = integer, Bytes = reply.Bytes() };
            case RespType.Double:
                reply.TryDouble(out var d);
                return new RespValue(reply.Type) { Double = d, Bytes = reply.Bytes() };
            case RespType.Boolean:
                return new RespValue(reply.Type) { Boolean = reply.Payload.FirstSpan[0] == (byte)'t' };
            case RespType.Array or RespType.Set or RespType.Map or RespType.Push:
                var items = new List<RespValue>((int)Math.Min(reply.Count, 1024));
                foreach (var child in reply.Children())
                {
                    items.Add(From(child));
                }

                return new RespValue(reply.Type) { Items = items };
            default:
                return new RespValue(reply.Type) { Bytes = reply.Bytes() };
        }
    }

    /// <summary>Renders the value as redis-cli does (<c>"text"</c>, <c>(integer) 1</c>, <c>(nil)</c>, numbered lists).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Render(builder, "");
        return builder.ToString();
    }

    private void Render(StringBuilder builder, string indent)
    {
        if (IsNull)
        {
            builder.Append("(nil)");
            return;
        }

        switch (Type)
        {
            case RespType.Integer:
                builder.Append("(integer) ").Append(Integer.ToString(CultureInfo.InvariantCulture));
                break;
            case RespType.Double:
                builder.Append("(double) ").Append(Double.ToString("R", CultureInfo.InvariantCulture));
                break;
            case RespType.Boolean:
                builder.Append(Boolean ? "(true)" : "(false)");
                break;
            case RespType.BigNumber:
                builder.Append("(big number) ").Append(Text);
                break;
            case RespType.Error or RespType.BlobError:
                builder.Append("(error) ").Append(Text);
                break;
            case RespType.SimpleString:
                builder.Append(Text);
                break;
            case RespType.Array or RespType.Set or RespType.Push or RespType.Map:
                RenderItems(builder, indent);
                break;
            default:
                builder.Append('"').Append(Escape(Bytes!)).Append('"');
                break;
        }
    }

    private void RenderItems(StringBuilder builder, string indent)
    {
        if (Items.Count == 0)
        {
            builder.Append(Type == RespType.Map ? "(empty hash)" : "(empty array)");
            return;
        }

        var step = Type == RespType.Map ? 2 : 1;
        for (var i = 0; i < Items.Count; i += step)
        {
            var label = $"{(i / step) + 1}) ";
            if (i > 0)
            {
                builder.Append('\n').Append(indent);
            }

            builder.Append(label);
            var inner = indent + new string(' ', label.Length);
            Items[i].Render(builder, inner);
            if (step == 2)
            {
                builder.Append(" => ");
                Items[i + 1].Render(builder, inner);
            }
        }
    }

    private static string Escape(byte[] bytes)
    {
        var builder = new StringBuilder();
        foreach (var b in bytes)
        {
            builder.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return builder.ToString();
    }
}
