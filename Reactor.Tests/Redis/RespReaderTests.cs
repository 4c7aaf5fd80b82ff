using System.Buffers;
using System.Text;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Framing;

namespace ReactiveKv.Tests.Redis;

[Trait("Category", "Unit")]
public class RespReaderTests
{
    // Replies as redis-server 7 sends them (RESP2, then RESP3 after HELLO 3).
    public static TheoryData<string, string> Replies => new()
    {
        { "+OK\r\n", "OK" },
        { "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "(error) WRONGTYPE Operation against a key holding the wrong kind of value" },
        { ":1000\r\n", "(integer) 1000" },
        { ":-42\r\n", "(integer) -42" },
        { "$5\r\nhello\r\n", "\"hello\"" },
        { "$0\r\n\r\n", "\"\"" },
        { "$-1\r\n", "(nil)" },
        { "*-1\r\n", "(nil)" },
        { "*0\r\n", "(empty array)" },
        { "*3\r\n$3\r\nfoo\r\n:7\r\n$-1\r\n", "1) \"foo\"\n2) (integer) 7\n3) (nil)" },
        { "*2\r\n*1\r\n:1\r\n*1\r\n+x\r\n", "1) 1) (integer) 1\n2) 1) x" },
        { "_\r\n", "(nil)" },
        { "#t\r\n", "(true)" },
        { "#f\r\n", "(false)" },
        { ",3.25\r\n", "(double) 3.25" },
        { ",inf\r\n", "(double) Infinity" },
        { "(3492890328409238509324850943850943825024385\r\n", "(big number) 3492890328409238509324850943850943825024385" },
        { "!21\r\nSYNTAX invalid syntax\r\n", "(error) SYNTAX invalid syntax" },
        { "=15\r\ntxt:Some string\r\n", "\"txt:Some string\"" },
        { "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", "1) first => (integer) 1\n2) second => (integer) 2" },
        { "~2\r\n+a\r\n+b\r\n", "1) a\n2) b" },
        { ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", "1) \"message\"\n2) \"ch\"\n3) \"hi\"" },
        { "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n$2\r\nhi\r\n", "\"hi\"" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void EveryReplyType_Decodes_AtEverySplitPoint(string wire, string rendered)
    {
        var bytes = Encoding.ASCII.GetBytes(wire);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var sequence = SegmentedSequence.Of(bytes[..split], bytes[split..]);
            var reader = new SequenceReader<byte>(sequence);
            Assert.True(RespReader.TryRead(ref reader, RespLimits.Default, out var reply), $"split {split}");
            Assert.True(reader.End);
            Assert.Equal(rendered, RespValue.From(reply).ToString());

            for (var cut = 0; cut < bytes.Length; cut++)
            {
                var partial = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, cut));
                Assert.False(RespReader.TryRead(ref partial, RespLimits.Default, out _), $"a {cut}-byte prefix was taken as complete");
                Assert.Equal(0, partial.Consumed);
            }
        }
    }

    [Theory]
    [InlineData("?x\r\n", "unexpected type byte")]
    [InlineData(":12a\r\n", "is not an integer")]
    [InlineData("$3\r\nabcXY", "not followed by CRLF")]
    [InlineData("$-7\r\n", "bad length")]
    [InlineData("*two\r\n", "bad length")]
    [InlineData("#x\r\n", "neither 't' nor 'f'")]
    [InlineData(",abc\r\n", "is not a double")]
    public void MalformedReplies_AreProtocolErrors(string wire, string message)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire)));
        ProtocolErrorException? error = null;
        try
        {
            RespReader.TryRead(ref reader, RespLimits.Default, out _);
        }
        catch (ProtocolErrorException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Contains(message, error!.Message);
    }

    [Fact]
    public void Limits_RejectOversizedBulks_AggregatesAndNesting_BeforeBuffering()
    {
        var limits = new RespLimits(MaxBulkLength: 10, MaxAggregateLength: 3, MaxLineLength: 16, MaxDepth: 2);
        Assert.Throws<FrameTooLargeException>(() => Read("$11\r\n", limits));
        Assert.Throws<FrameTooLargeException>(() => Read("*4\r\n", limits));
        Assert.Throws<FrameTooLargeException>(() => Read("%2\r\n", limits));
        Assert.Throws<FrameTooLargeException>(() => Read("+" + new string('x', 40), limits));
        Assert.Throws<ProtocolErrorException>(() => Read("*1\r\n*1\r\n*1\r\n:1\r\n", limits));
    }

    [Fact]
    public void Commands_AreEncodedAsArraysOfBulkStrings()
    {
        var output = new ArrayBufferWriter<byte>();
        RespWriter.WriteArrayHeader(output, 4);
        RespWriter.WriteArgument(output, (RedisValue)"SET");
        RespWriter.WriteArgument(output, (RedisValue)"clé");
        RespWriter.WriteArgument(output, (RedisValue)42);
        RespWriter.WriteArgument(output, (RedisValue)double.NegativeInfinity);
        Assert.Equal("*4\r\n$3\r\nSET\r\n$4\r\nclé\r\n$2\r\n42\r\n$4\r\n-inf\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void TheOneBufferEncoder_WritesExactlyWhatTheTokenEncoderWrites()
    {
        var random = new Random(7);
        var backing = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        for (var round = 0; round < 500; round++)
        {
            var arguments = Enumerable.Range(0, random.Next(0, 12)).Select(_ => (RedisValue)(random.Next(7) switch
            {
                0 => (RedisValue)new string('é', random.Next(0, 40)),
                1 => new ReadOnlyMemory<byte>(backing, random.Next(0, 100), random.Next(0, 200)),
                2 => backing[..random.Next(0, 300)],
                3 => random.NextInt64(long.MinValue, long.MaxValue),
                4 => random.NextDouble() * 1e12 - 5e11,
                5 => double.PositiveInfinity,
                _ => $"key:{random.Next()}",
            })).ToArray();
            var name = round % 2 == 0 ? "SET" : "ZADD";

            var oneBuffer = new ArrayBufferWriter<byte>();
            var fitted = RespWriter.TryWriteCommand(oneBuffer, name, arguments);
            var tokens = new ArrayBufferWriter<byte>();
            RespWriter.WriteArrayHeader(tokens, arguments.Length + 1);
            RespWriter.WriteArgument(tokens, (RedisValue)name);
            foreach (var argument in arguments)
            {
                RespWriter.WriteArgument(tokens, argument);
            }

            Assert.True(fitted, $"round {round} did not fit one buffer");
            Assert.Equal(tokens.WrittenSpan.ToArray(), oneBuffer.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void ACommandTooBigForOneBuffer_IsLeftToTheTokenEncoder()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(RespWriter.TryWriteCommand(output, "SET", ["k", new byte[5000]]));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void ByteSlices_AreSentAsTheSliceOnly()
    {
        var bytes = "xxHELLOyy"u8.ToArray();
        Assert.Equal("HELLO"u8.ToArray(), ((RedisValue)new ReadOnlyMemory<byte>(bytes, 2, 5)).ToBytes());
        Assert.Equal(5, ((RedisValue)new ReadOnlyMemory<byte>(bytes, 2, 5)).EncodedLength);
        Assert.Equal("-12"u8.ToArray(), ((RedisValue)(-12)).ToBytes());
        Assert.Equal("1.5"u8.ToArray(), ((RedisValue)1.5).ToBytes());
        Assert.Equal((RedisValue)"HELLO", (RedisValue)"HELLO"u8.ToArray());
    }

    private static bool Read(string wire, RespLimits limits)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire)));
        return RespReader.TryRead(ref reader, limits, out _);
    }
}
