using System.Buffers;
using ReactiveKv.Amqp;
using static ReactiveKv.Tests.Amqp.AmqpTestBytes;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Content headers with their property flags, and a publish written whole with its body split to frame_max.</summary>
[Trait("Category", "Unit")]
public class BasicContentTests
{
    private static readonly string TextPlain = Convert.ToHexString("text/plain"u8);

    [Fact]
    public void AHeaderFrame_FlagsOnlyThePresentProperties()
    {
        var frame = Written(output => AmqpFrameWriter.WriteContentHeader(output, 1, 5, new BasicProperties { ContentType = "text/plain", DeliveryMode = 2 }));

        Assert.Equal(Hex("02 0001 0000001A", "003C 0000 0000000000000005", "9000", "0A", TextPlain, "02", "CE"), frame);
    }

    [Fact]
    public void NoProperties_IsAZeroFlagWord()
    {
        Assert.Equal(Hex("02 0002 0000000E 003C 0000 0000000000000000 0000 CE"), Written(output => AmqpFrameWriter.WriteContentHeader(output, 2, 0, null)));
        var header = AmqpContentHeader.Decode(new ReadOnlySequence<byte>(Hex("003C 0000 0000000000000000 0000")));
        Assert.Null(header.Properties.ContentType);
        Assert.Null(header.Properties.Timestamp);
    }

    [Fact]
    public void AllFourteenProperties_RoundTrip()
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            ContentEncoding = "gzip",
            Headers = new FieldTable { ["x-retry"] = 3, ["nested"] = new FieldTable { ["a"] = true } },
            DeliveryMode = 2,
            Priority = 7,
            CorrelationId = "corr",
            ReplyTo = "amq.rabbitmq.reply-to",
            Expiration = "60000",
            MessageId = "m-1",
            Timestamp = new AmqpTimestamp(1700000000),
            Type = "order.created",
            UserId = "guest",
            AppId = "tests",
            ClusterId = "c1",
        };

        var frame = Written(output => AmqpFrameWriter.WriteContentHeader(output, 1, 1234, properties));
        Assert.Equal(Hex("FFFC"), frame.AsSpan(7 + 12, 2).ToArray());
        var header = AmqpContentHeader.Decode(new ReadOnlySequence<byte>(frame.AsMemory(7, frame.Length - 8)));

        Assert.Equal(((ushort)60, 1234ul), (header.ClassId, header.BodySize));
        var p = header.Properties;
        Assert.Equal(
            "application/json gzip corr amq.rabbitmq.reply-to 60000 m-1 order.created guest tests c1",
            string.Join(" ", p.ContentType, p.ContentEncoding, p.CorrelationId, p.ReplyTo, p.Expiration, p.MessageId, p.Type, p.UserId, p.AppId, p.ClusterId));
        Assert.Equal(((byte?)2, (byte?)7, (AmqpTimestamp?)new AmqpTimestamp(1700000000)), (p.DeliveryMode, p.Priority, p.Timestamp));
        Assert.Equal("F{x-retry=I:3,nested=F{a=t:True}}", Describe(p.Headers));
        Assert.Equal(frame, Written(output => AmqpFrameWriter.WriteContentHeader(output, 1, 1234, p)));
    }

    [Fact]
    public void EachPropertyAlone_RoundTripsUnderItsOwnFlag()
    {
        var setters = new Action<BasicProperties>[]
        {
            p => p.ContentType = "a", p => p.ContentEncoding = "b", p => p.Headers = [], p => p.DeliveryMode = 1,
            p => p.Priority = 0, p => p.CorrelationId = "c", p => p.ReplyTo = "d", p => p.Expiration = "e",
            p => p.MessageId = "f", p => p.Timestamp = new AmqpTimestamp(0), p => p.Type = "g", p => p.UserId = "h",
            p => p.AppId = "i", p => p.ClusterId = "j",
        };

        for (var i = 0; i < setters.Length; i++)
        {
            var properties = new BasicProperties();
            setters[i](properties);
            var frame = Written(output => AmqpFrameWriter.WriteContentHeader(output, 1, 0, properties));
            Assert.Equal(1 << (15 - i), (frame[19] << 8) | frame[20]);
            var decoded = AmqpContentHeader.Decode(new ReadOnlySequence<byte>(frame.AsMemory(7, frame.Length - 8))).Properties;
            Assert.Equal(frame, Written(output => AmqpFrameWriter.WriteContentHeader(output, 1, 0, decoded)));
        }
    }

    [Fact]
    public void AContinuationWordThatAddsNothing_IsAccepted()
    {
        var header = AmqpContentHeader.Decode(new ReadOnlySequence<byte>(Hex("003C 0000 0000000000000001 8001 0000 01 'a'")));
        Assert.Equal("a", header.Properties.ContentType);
    }

    [Theory]
    [InlineData("003C 0000 0000000000000001 0001 0080", "continuation")]
    [InlineData("003C 0000 0000000000000001 0002", "unassigned")]
    [InlineData("0032 0000 0000000000000001 0000", "class 50")]
    [InlineData("003C 0000 0000000000000001 8000 05 'ab'", "truncated")]
    [InlineData("003C 0000 0000000000000001 2000 00000003 01 'k' 'Z'", "0x5A")]
    [InlineData("003C 0000 00000000", "truncated")]
    public void AMalformedHeader_IsAFrameError(string hex, string expected)
    {
        var error = Assert.Throws<AmqpFrameException>(() => AmqpContentHeader.Decode(new ReadOnlySequence<byte>(Hex(hex))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APublish_IsMethodHeaderAndBody_InOneWrite()
    {
        var bytes = Written(output => AmqpFrameWriter.WritePublish(output, 1, new BasicPublish { RoutingKey = "q1", Mandatory = true }, new BasicProperties { ContentType = "text/plain", DeliveryMode = 2 }, "hello"u8.ToArray(), 131072));

        Assert.Equal(
            Hex(
                "01 0001 0000000B 003C 0028 0000 00 02 'q1' 01 CE",
                "02 0001 0000001A 003C 0000 0000000000000005 9000 0A", TextPlain, "02 CE",
                "03 0001 00000005 'hello' CE"),
            bytes);
    }

    [Fact]
    public void ABody_IsSplitAtFrameMaxLessTheFrameOverhead()
    {
        var body = Enumerable.Range(0, 10).Select(i => (byte)i).ToArray();
        var bytes = Written(output => AmqpFrameWriter.WriteBody(output, 7, new ReadOnlySequence<byte>(body), 12));

        Assert.Equal(Hex("03 0007 00000004 00010203 CE", "03 0007 00000004 04050607 CE", "03 0007 00000002 0809 CE"), bytes);
    }

    [Fact]
    public void ALargePublish_DecodesBackIntoItsParts_WithABodySpreadOverSegments()
    {
        var body = Enumerable.Range(0, 10000).Select(i => (byte)i).ToArray();
        var segmented = Framing.SegmentedSequence.Of(body[..3000], body[3000..3001], body[3001..]);
        var bytes = Written(output => AmqpFrameWriter.WritePublish(output, 9, new BasicPublish { Exchange = "ex" }, null, segmented, 4096));

        var decoder = new AmqpFrameDecoder(4096);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var frames = new List<(AmqpFrameType, ushort, byte[])>();
        while (decoder.TryDecode(ref buffer, out var frame))
        {
            frames.Add((frame.Type, frame.Channel, frame.Payload.ToArray()));
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal([AmqpFrameType.Method, AmqpFrameType.Header, AmqpFrameType.Body, AmqpFrameType.Body, AmqpFrameType.Body], frames.Select(f => f.Item1));
        Assert.All(frames, f => Assert.Equal(9, f.Item2));
        Assert.Equal([4088, 4088, 1824], frames.Skip(2).Select(f => f.Item3.Length));
        Assert.Equal(body, frames.Skip(2).SelectMany(f => f.Item3));
        Assert.Equal(10000ul, AmqpContentHeader.Decode(new ReadOnlySequence<byte>(frames[1].Item3)).BodySize);
        Assert.Equal("ex", Assert.IsType<BasicPublish>(AmqpMethodDecoder.Decode(new ReadOnlySequence<byte>(frames[0].Item3))).Exchange);
    }

    [Fact]
    public void AnEmptyBody_WritesNoBodyFrame()
    {
        var bytes = Written(output => AmqpFrameWriter.WritePublish(output, 1, new BasicPublish(), null, ReadOnlyMemory<byte>.Empty, 4096));
        Assert.Equal(Hex("01 0001 00000009 003C 0028 0000 00 00 00 CE", "02 0001 0000000E 003C 0000 0000000000000000 0000 CE"), bytes);
    }

    [Fact]
    public void ABadPropertyOrFrameMax_FailsThePublishBeforeAnyByteIsWritten()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => AmqpFrameWriter.WritePublish(output, 1, new BasicPublish(), new BasicProperties { MessageId = new string('x', 300) }, "a"u8.ToArray(), 4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => AmqpFrameWriter.WritePublish(output, 1, new BasicPublish(), null, "a"u8.ToArray(), 8));
        Assert.Equal(0, output.WrittenCount);
    }
}
