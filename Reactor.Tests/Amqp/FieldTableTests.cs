using System.Buffers;
using ReactiveKv.Amqp;
using static ReactiveKv.Tests.Amqp.AmqpTestBytes;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Field tables in RabbitMQ's dialect: every type's bytes, round trips, and refusal of bad tables.</summary>
[Trait("Category", "Unit")]
public class FieldTableTests
{
    public static TheoryData<object?, string, string> EveryType => new()
    {
        { true, "74 01", "t:True" },
        { (sbyte)-2, "62 FE", "b:-2" },
        { (byte)200, "42 C8", "B:200" },
        { (short)-300, "73 FED4", "s:-300" },
        { (ushort)65000, "75 FDE8", "u:65000" },
        { -5, "49 FFFFFFFB", "I:-5" },
        { 4000000000u, "69 EE6B2800", "i:4000000000" },
        { -1L << 40, "6C FFFFFF0000000000", "l:-1099511627776" },
        { 1.5f, "66 3FC00000", "f:1.5" },
        { -0.25d, "64 BFD0000000000000", "d:-0.25" },
        { new AmqpDecimal(2, -150), "44 02 FFFFFF6A", "D:2/-150" },
        { 1.50m, "44 02 00000096", "D:2/150" },
        { "héllo", "53 00000006 68C3A96C6C6F", "S:héllo" },
        { new byte[] { 0, 0xFF }, "78 00000002 00FF", "x:00FF" },
        { new AmqpTimestamp(1700000000), "54 000000006553F100", "T:1700000000" },
        { DateTimeOffset.FromUnixTimeSeconds(1700000000).AddMilliseconds(999), "54 000000006553F100", "T:1700000000" },
        { null, "56", "V" },
        { new List<object?> { 1, "a", null }, "41 0000000C 49 00000001 53 00000001 61 56", "A[I:1,S:a,V]" },
        { new[] { 7, 8 }, "41 0000000A 49 00000007 49 00000008", "A[I:7,I:8]" },
        { new FieldTable { ["n"] = (byte)1 }, "46 00000004 01 6E 42 01", "F{n=B:1}" },
        { new Dictionary<string, object?> { ["n"] = false }, "46 00000004 01 6E 74 00", "F{n=t:False}" },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void EachType_HasTheDialectsBytes_AndDecodesToItsDotNetType(object? value, string valueHex, string described)
    {
        var bytes = EncodeTable(new FieldTable { ["k"] = value });
        var entry = Hex("01 6B", valueHex);
        Assert.Equal(Hex($"{entry.Length:X8}").Concat(entry), bytes);

        var decoded = DecodeTable(bytes);
        Assert.Equal("F{k=" + described + "}", Describe(decoded));
        Assert.Equal(bytes, EncodeTable(decoded));
    }

    [Fact]
    public void ATableOfEveryTypeNested_RoundTripsInOrder()
    {
        var inner = new FieldTable();
        foreach (var (row, i) in EveryType.Select((row, i) => (row, i)))
        {
            inner[$"f{i}"] = row[0];
        }

        var table = new FieldTable { ["z"] = inner, ["a"] = new List<object?> { inner, new List<object?>() }, ["m"] = new FieldTable() };
        var bytes = EncodeTable(table);
        var decoded = DecodeTable(bytes);

        Assert.Equal(["z", "a", "m"], decoded.Keys);
        Assert.Equal(bytes, EncodeTable(decoded));
        Assert.Equal(Describe(DecodeTable(EncodeTable(inner))), Describe(decoded["z"]));
    }

    [Fact]
    public void ALongStringThatIsNotUtf8_StaysBytes_AndEncodesBackAsAString()
    {
        var bytes = Hex("0000000A 01 6B 53 00000003 FF FE 41");
        var decoded = DecodeTable(bytes);

        Assert.Equal("F{k=S*:FFFE41}", Describe(decoded));
        Assert.Equal(bytes, EncodeTable(decoded));
    }

    [Fact]
    public void ATableSplitAcrossSegments_DecodesLikeAWholeOne()
    {
        var bytes = EncodeTable(new FieldTable { ["key"] = "a string long enough to be cut", ["n"] = 42L });
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var reader = new AmqpReader(Framing.SegmentedSequence.Of(bytes[..cut], bytes[cut..]));
            Assert.Equal("F{key=S:a string long enough to be cut,n=l:42}", Describe(reader.ReadTable()));
        }
    }

    [Theory]
    [InlineData("00000010 01 6B 49 00000001", "truncated")]
    [InlineData("00000005 01 6B 49 00000001", "truncated")]
    [InlineData("00000007 01 6B 55 00000001", "field type 0x55")]
    [InlineData("00000008 01 6B 53 FFFFFFFF 00", "truncated")]
    [InlineData("00000008 01 6B 41 00000009 56", "truncated")]
    [InlineData("00000003 05 6B 56", "truncated")]
    public void AMalformedTable_IsAFrameError(string hex, string expected)
    {
        var error = Assert.Throws<AmqpFrameException>(() => DecodeTable(Hex(hex)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TablesNestedBeyondTheBound_AreAFrameError_AndAtTheBound_Decode()
    {
        Assert.Equal(AmqpConstants.MaxFieldNesting, Depth(DecodeTable(Nested(AmqpConstants.MaxFieldNesting))));
        var error = Assert.Throws<AmqpFrameException>(() => DecodeTable(Nested(AmqpConstants.MaxFieldNesting + 1)));
        Assert.Contains("nest deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArraysCountTowardsTheNestingBound()
    {
        // A table holding an array holding arrays: the array levels count like tables.
        var body = Hex("56");
        for (var level = 0; level < AmqpConstants.MaxFieldNesting; level++)
        {
            body = Hex("41", $"{body.Length:X8}").Concat(body).ToArray();
        }

        var entry = Hex("01 61").Concat(body).ToArray();
        var table = Hex($"{entry.Length:X8}").Concat(entry).ToArray();
        Assert.Throws<AmqpFrameException>(() => DecodeTable(table));
    }

    [Fact]
    public void EncodingATableThatContainsItself_IsRefusedBeforeWriting()
    {
        var table = new FieldTable();
        table["me"] = table;
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => new AmqpWriter(output).WriteTable(table));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void EncodingUnsupportedValues_IsRefusedBeforeWriting()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => new AmqpWriter(output).WriteTable(new FieldTable { ["ok"] = 1, ["bad"] = Guid.Empty }));
        Assert.Throws<ArgumentException>(() => new AmqpWriter(output).WriteTable(new FieldTable { [new string('n', 256)] = 1 }));
        Assert.Throws<OverflowException>(() => new AmqpWriter(output).WriteTable(new FieldTable { ["big"] = 12345678901m }));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Decimals_ConvertBothWays_KeepingScaleAndSign()
    {
        Assert.Equal(-1.50m, new AmqpDecimal(2, -150).ToDecimal());
        Assert.Equal("-1.50", new AmqpDecimal(2, -150).ToDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new AmqpDecimal(0, int.MinValue), AmqpDecimal.FromDecimal(int.MinValue));
        Assert.Equal((decimal)int.MinValue, new AmqpDecimal(0, int.MinValue).ToDecimal());
        Assert.Throws<OverflowException>(() => new AmqpDecimal(29, 1).ToDecimal());
        Assert.Equal("1e-40", new AmqpDecimal(40, 1).ToString());
    }

    private static byte[] Nested(int depth)
    {
        var table = Hex("00000000");
        for (var level = 1; level < depth; level++)
        {
            var entry = Hex("01 61 46").Concat(table).ToArray();
            table = Hex($"{entry.Length:X8}").Concat(entry).ToArray();
        }

        return table;
    }

    private static int Depth(FieldTable table) => 1 + (table.TryGetValue("a", out var inner) ? Depth((FieldTable)inner!) : 0);
}
