namespace ReactiveKv.Amqp;

/// <summary>
/// An AMQP field table: names (short strings, compared ordinally) mapped to values, kept in the order they were
/// added or received. Values are, by field type in RabbitMQ's dialect: t <see cref="bool"/>, b <see cref="sbyte"/>,
/// B <see cref="byte"/>, s <see cref="short"/>, u <see cref="ushort"/>, I <see cref="int"/>, i <see cref="uint"/>,
/// l <see cref="long"/>, f <see cref="float"/>, d <see cref="double"/>, D <see cref="AmqpDecimal"/>, S
/// <see cref="string"/> (or <see cref="AmqpLongString"/> when not UTF-8), x <see cref="byte"/>[], A
/// <see cref="List{T}"/> of values, T <see cref="AmqpTimestamp"/>, F <see cref="FieldTable"/> and V null. When
/// encoding, <see cref="decimal"/>, <see cref="DateTimeOffset"/>, any dictionary of string to value and any
/// <see cref="System.Collections.IList"/> are accepted as well.
/// </summary>
public sealed class FieldTable : OrderedDictionary<string, object?>
{
    /// <summary>Creates an empty table.</summary>
    public FieldTable()
        : base(StringComparer.Ordinal)
    {
    }
}
