using System.Buffers;
using System.Globalization;
using System.Text;
using ReactiveKv.Amqp;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Helpers for the AMQP codec tests: hex in, bytes out, and a typed description of decoded field values.</summary>
internal static class AmqpTestBytes
{
    /// <summary>Bytes from space-separated hex tokens, where a token in single quotes is ASCII text.</summary>
    public static byte[] Hex(params string[] parts) => [.. parts
        .SelectMany(part => part.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .SelectMany(token => token.StartsWith('\'') ? Encoding.ASCII.GetBytes(token[1..^1]) : Convert.FromHexString(token))];

    public static string ToHex(ReadOnlySequence<byte> bytes) => Convert.ToHexString(bytes.ToArray());

    public static byte[] Written(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] MethodFrame(ushort channel, IAmqpMethod method) => Written(output => AmqpFrameWriter.WriteMethod(output, channel, method));

    /// <summary>The method frame's payload, as the decoder would hand it to <see cref="AmqpMethodDecoder"/>.</summary>
    public static ReadOnlySequence<byte> MethodPayload(IAmqpMethod method)
    {
        var frame = MethodFrame(0, method);
        return new ReadOnlySequence<byte>(frame.AsMemory(7, frame.Length - 8));
    }

    public static byte[] EncodeTable(FieldTable? table) => Written(output => new AmqpWriter(output).WriteTable(table));

    public static FieldTable DecodeTable(byte[] bytes)
    {
        var reader = new AmqpReader(new ReadOnlySequence<byte>(bytes));
        var table = reader.ReadTable();
        Assert.Equal(0, reader.Remaining);
        return table;
    }

    /// <summary>A value with its field type, so a test sees an int that came back a long.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "V",
        bool b => $"t:{b}",
        sbyte n => $"b:{n}",
        byte n => $"B:{n}",
        short n => $"s:{n}",
        ushort n => $"u:{n}",
        int n => $"I:{n}",
        uint n => $"i:{n}",
        long n => $"l:{n}",
        float n => $"f:{n.ToString("R", CultureInfo.InvariantCulture)}",
        double n => $"d:{n.ToString("R", CultureInfo.InvariantCulture)}",
        AmqpDecimal n => $"D:{n.Scale}/{n.Value}",
        string s => $"S:{s}",
        AmqpLongString s => $"S*:{s}",
        byte[] bytes => $"x:{Convert.ToHexString(bytes)}",
        AmqpTimestamp t => $"T:{t.UnixSeconds}",
        FieldTable table => "F{" + string.Join(",", table.Select(entry => $"{entry.Key}={Describe(entry.Value)}")) + "}",
        List<object?> items => "A[" + string.Join(",", items.Select(Describe)) + "]",
        _ => $"?{value.GetType().Name}:{value}",
    };
}
