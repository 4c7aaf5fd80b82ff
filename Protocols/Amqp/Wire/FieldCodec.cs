using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Unicode;

namespace ReactiveKv.Amqp;

/// <summary>
/// Field tables and arrays in RabbitMQ's dialect (its "spec differences" errata: 's' is a signed short, 'l' a signed
/// long long, 'x' a byte array, no 'U'/'L'). Reading is bounded by <see cref="AmqpConstants.MaxFieldNesting"/> and by
/// each table's and array's own length; writing sizes a whole table first, which also rejects values it cannot
/// encode before a byte is written.
/// </summary>
internal static class FieldCodec
{
    private const int TopLevel = 1;

    public static FieldTable ReadTable(ReadOnlySequence<byte> content, int depth)
    {
        CheckReadDepth(depth);
        var reader = new AmqpReader(content, depth);
        var table = new FieldTable();
        while (reader.Remaining > 0)
        {
            var name = reader.ReadShortString();
            // A repeated name is against the spec but harmless; the last value wins rather than failing the frame.
            table[name] = ReadValue(ref reader);
        }

        return table;
    }

    public static int TableContentSize(IEnumerable<KeyValuePair<string, object?>>? table, int depth)
    {
        CheckWriteDepth(depth);
        var size = 0;
        foreach (var (name, value) in table ?? [])
        {
            size += AmqpSize.ShortString(name) + ValueSize(value, depth);
        }

        return size;
    }

    public static void WriteTable(AmqpWriter writer, IEnumerable<KeyValuePair<string, object?>>? table)
    {
        writer.WriteLong((uint)TableContentSize(table, TopLevel));
        foreach (var (name, value) in table ?? [])
        {
            writer.WriteShortString(name);
            WriteValue(writer, value);
        }
    }

    private static object? ReadValue(ref AmqpReader reader)
    {
        var type = reader.ReadOctet();
        return type switch
        {
            (byte)'t' => reader.ReadOctet() != 0,
            (byte)'b' => (sbyte)reader.ReadOctet(),
            (byte)'B' => reader.ReadOctet(),
            (byte)'s' => (short)reader.ReadShort(),
            (byte)'u' => reader.ReadShort(),
            (byte)'I' => (int)reader.ReadLong(),
            (byte)'i' => reader.ReadLong(),
            (byte)'l' => (long)reader.ReadLongLong(),
            (byte)'f' => reader.ReadFloat(),
            (byte)'d' => reader.ReadDouble(),
            (byte)'D' => new AmqpDecimal(reader.ReadOctet(), (int)reader.ReadLong()),
            (byte)'S' => ReadLongStringValue(reader.ReadSlice(reader.ReadLong())),
            (byte)'x' => reader.ReadLongStringBytes(),
            (byte)'A' => ReadArray(reader.ReadSlice(reader.ReadLong()), reader.Depth + 1),
            (byte)'T' => new AmqpTimestamp((long)reader.ReadLongLong()),
            (byte)'F' => reader.ReadTable(),
            (byte)'V' => null,
            _ => throw new AmqpFrameException($"Unknown AMQP field type 0x{type:X2} in a field table or array."),
        };
    }

    private static List<object?> ReadArray(ReadOnlySequence<byte> content, int depth)
    {
        CheckReadDepth(depth);
        var reader = new AmqpReader(content, depth);
        var items = new List<object?>();
        while (reader.Remaining > 0)
        {
            items.Add(ReadValue(ref reader));
        }

        return items;
    }

    private static object ReadLongStringValue(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            var span = bytes.FirstSpan;
            return Utf8.IsValid(span) ? Encoding.UTF8.GetString(span) : new AmqpLongString(span.ToArray());
        }

        var copy = bytes.ToArray();
        return Utf8.IsValid(copy) ? Encoding.UTF8.GetString(copy) : new AmqpLongString(copy);
    }

    private static int ValueSize(object? value, int depth) => 1 + value switch
    {
        null => 0,
        bool or sbyte or byte => 1,
        short or ushort => 2,
        int or uint or float => 4,
        long or double or AmqpTimestamp or DateTimeOffset => 8,
        AmqpDecimal => 5,
        decimal d => DecimalSize(d),
        string s => AmqpSize.LongString(s),
        AmqpLongString s => 4 + s.Bytes.Length,
        byte[] bytes => 4 + bytes.Length,
        IEnumerable<KeyValuePair<string, object?>> table => 4 + TableContentSize(table, depth + 1),
        IList list => 4 + ArrayContentSize(list, depth + 1),
        _ => throw new ArgumentException($"A {value.GetType()} cannot go in an AMQP field table; see FieldTable for the types that can."),
    };

    // Converting now is what rejects a decimal too wide for 'D', before anything is written.
    private static int DecimalSize(decimal value)
    {
        AmqpDecimal.FromDecimal(value);
        return 5;
    }

    private static int ArrayContentSize(IList list, int depth)
    {
        CheckWriteDepth(depth);
        var size = 0;
        foreach (var item in list)
        {
            size += ValueSize(item, depth);
        }

        return size;
    }

    private static void WriteValue(AmqpWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteOctet((byte)'V'); break;
            case bool b: Tagged(writer, 't').WriteOctet(b ? (byte)1 : (byte)0); break;
            case sbyte n: Tagged(writer, 'b').WriteOctet((byte)n); break;
            case byte n: Tagged(writer, 'B').WriteOctet(n); break;
            case short n: Tagged(writer, 's').WriteShort((ushort)n); break;
            case ushort n: Tagged(writer, 'u').WriteShort(n); break;
            case int n: Tagged(writer, 'I').WriteLong((uint)n); break;
            case uint n: Tagged(writer, 'i').WriteLong(n); break;
            case long n: Tagged(writer, 'l').WriteLongLong((ulong)n); break;
            case float n: Tagged(writer, 'f').WriteFloat(n); break;
            case double n: Tagged(writer, 'd').WriteDouble(n); break;
            case AmqpDecimal n: WriteDecimal(writer, n); break;
            case decimal n: WriteDecimal(writer, AmqpDecimal.FromDecimal(n)); break;
            case string s: Tagged(writer, 'S').WriteLongString(s); break;
            case AmqpLongString s: Tagged(writer, 'S').WriteLongString(s.Bytes.Span); break;
            case byte[] bytes: Tagged(writer, 'x').WriteLongString(bytes); break;
            case AmqpTimestamp t: Tagged(writer, 'T').WriteLongLong((ulong)t.UnixSeconds); break;
            case DateTimeOffset t: Tagged(writer, 'T').WriteLongLong((ulong)t.ToUnixTimeSeconds()); break;
            case IEnumerable<KeyValuePair<string, object?>> table: WriteTable(Tagged(writer, 'F'), table); break;
            case IList list: WriteArray(Tagged(writer, 'A'), list); break;
            default: throw new ArgumentException($"A {value.GetType()} cannot go in an AMQP field table.");
        }
    }

    private static AmqpWriter Tagged(AmqpWriter writer, char type)
    {
        writer.WriteOctet((byte)type);
        return writer;
    }

    private static void WriteDecimal(AmqpWriter writer, AmqpDecimal value)
    {
        Tagged(writer, 'D').WriteOctet(value.Scale);
        writer.WriteLong((uint)value.Value);
    }

    private static void WriteArray(AmqpWriter writer, IList list)
    {
        writer.WriteLong((uint)ArrayContentSize(list, TopLevel));
        foreach (var item in list)
        {
            WriteValue(writer, item);
        }
    }

    private static void CheckReadDepth(int depth)
    {
        if (depth > AmqpConstants.MaxFieldNesting)
        {
            throw new AmqpFrameException($"AMQP field tables and arrays nest deeper than {AmqpConstants.MaxFieldNesting} levels.");
        }
    }

    private static void CheckWriteDepth(int depth)
    {
        if (depth > AmqpConstants.MaxFieldNesting)
        {
            throw new ArgumentException($"A field table nests deeper than {AmqpConstants.MaxFieldNesting} levels (or contains itself).");
        }
    }
}
