using System.Buffers;
using ReactiveKv.Amqp;
using static ReactiveKv.Tests.Amqp.AmqpTestBytes;

namespace ReactiveKv.Tests.Amqp;

/// <summary>Every method round-trips; some are checked against bytes worked out by hand from the spec.</summary>
[Trait("Category", "Unit")]
public class AmqpMethodTests
{
    public static TheoryData<int> Samples => [.. Enumerable.Range(0, AmqpMethodSamples.All.Count)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryMethod_RoundTrips_ByteForByte(int index)
    {
        var method = AmqpMethodSamples.All[index];
        var frame = MethodFrame(5, method);
        Assert.Equal(4 + method.ArgumentsSize + 8, frame.Length);

        var decoded = AmqpMethodDecoder.Decode(MethodPayload(method));

        Assert.IsType(method.GetType(), decoded);
        Assert.Equal((method.ClassId, method.MethodId, method.Name, method.HasContent), (decoded.ClassId, decoded.MethodId, decoded.Name, decoded.HasContent));
        Assert.Equal(frame, MethodFrame(5, decoded));
    }

    [Fact]
    public void TheSamples_CoverEveryClassAndMethodOnce()
    {
        var ids = AmqpMethodSamples.All.Select(m => (m.ClassId, m.MethodId)).Distinct().ToList();
        Assert.Equal(64, ids.Count);
        Assert.Equal([10, 20, 40, 50, 60, 85, 90], ids.Select(id => (int)id.ClassId).Distinct().Order());
        Assert.Equal(ids.Count, AmqpMethodSamples.All.Select(m => m.Name).Distinct().Count());
    }

    [Fact]
    public void ConnectionStartOk_HasTheSpecsBytes()
    {
        var startOk = new ConnectionStartOk
        {
            ClientProperties = new FieldTable { ["product"] = "x" },
            Mechanism = "PLAIN",
            Response = "\0guest\0guest"u8.ToArray(),
            Locale = "en_US",
        };

        Assert.Equal(
            Hex("01 0000 00000032", "000A 000B", "0000000E 07 'product' 53 00000001 'x'", "05 'PLAIN'", "0000000C 00 'guest' 00 'guest'", "05 'en_US'", "CE"),
            MethodFrame(0, startOk));
    }

    [Fact]
    public void ConnectionTuneOk_AndOpen_HaveTheSpecsBytes()
    {
        Assert.Equal(Hex("01 0000 0000000C 000A 001F 07FF 00020000 003C CE"), MethodFrame(0, new ConnectionTuneOk { ChannelMax = 2047, FrameMax = 131072, Heartbeat = 60 }));
        Assert.Equal(Hex("01 0000 00000008 000A 0028 01 '/' 00 00 CE"), MethodFrame(0, new ConnectionOpen { VirtualHost = "/" }));
    }

    [Fact]
    public void BasicPublish_HasTheSpecsBytes()
    {
        Assert.Equal(
            Hex("01 0001 0000000B 003C 0028 0000 00 02 'q1' 01 CE"),
            MethodFrame(1, new BasicPublish { RoutingKey = "q1", Mandatory = true }));
    }

    [Fact]
    public void ConsecutiveBits_ShareAnOctet_LowestBitFirst()
    {
        Assert.Equal(
            Hex("0032 000A 0000 01 'q' 0A 00000000"),
            MethodPayload(new QueueDeclare { Queue = "q", Durable = true, AutoDelete = true }).ToArray());
        Assert.Equal(Hex("003C 0078 0000000000000007 03"), MethodPayload(new BasicNack { DeliveryTag = 7, Multiple = true, Requeue = true }).ToArray());
        Assert.Equal(Hex("003C 003C 01 'c' 0000000000000009 01 01 'e' 00"), MethodPayload(new BasicDeliver { ConsumerTag = "c", DeliveryTag = 9, Redelivered = true, Exchange = "e" }).ToArray());
    }

    [Fact]
    public void ABitOctetWithReservedBitsSet_StillDecodesTheKnownOnes()
    {
        var decoded = Assert.IsType<BasicAck>(AmqpMethodDecoder.Decode(new ReadOnlySequence<byte>(Hex("003C 0050 0000000000000003 FF"))));
        Assert.Equal(new BasicAck { DeliveryTag = 3, Multiple = true }, decoded);
    }

    [Fact]
    public void ConnectionStart_FromTheServer_Decodes()
    {
        var payload = Hex("000A 000A 00 09", "00000015 07 'product' 53 00000008 'RabbitMQ'", "00000005 'PLAIN'", "00000005 'en_US'");
        var start = Assert.IsType<ConnectionStart>(AmqpMethodDecoder.Decode(new ReadOnlySequence<byte>(payload)));

        Assert.Equal(((byte)0, (byte)9, "PLAIN", "en_US"), (start.VersionMajor, start.VersionMinor, start.Mechanisms, start.Locales));
        Assert.Equal("F{product=S:RabbitMQ}", Describe(start.ServerProperties));
    }

    [Theory]
    [InlineData("000A 00FF", 10, 255)]
    [InlineData("0064 000A", 100, 10)]
    [InlineData("003C 0029", 60, 41)]
    public void AnUnknownMethod_IsATypedProtocolError_NamingItsIds(string hex, int classId, int methodId)
    {
        var error = Assert.Throws<AmqpUnknownMethodException>(() => AmqpMethodDecoder.Decode(new ReadOnlySequence<byte>(Hex(hex))));
        Assert.Equal(((ushort)classId, (ushort)methodId), (error.ClassId, error.MethodId));
        Assert.IsAssignableFrom<ProtocolErrorException>(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("003C")]
    [InlineData("003C 0050 00000000")]
    [InlineData("0032 000A 0000 05 'q'")]
    [InlineData("0032 000A 0000 01 'q' 0A 000000FF 00")]
    [InlineData("000A 000B 00000000 05 'PLAIN' FFFFFFF0")]
    public void ATruncatedMethod_IsAFrameError(string hex)
    {
        Assert.Throws<AmqpFrameException>(() => AmqpMethodDecoder.Decode(new ReadOnlySequence<byte>(Hex(hex))));
    }

    [Fact]
    public void AShortStringOver255Bytes_IsRefusedBeforeAnyByteIsWritten()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => AmqpFrameWriter.WriteMethod(output, 1, new QueueDeclare { Queue = new string('é', 128) }));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void EveryMethodIsNamedByItsIds_AsItsRecordNamesItself()
    {
        foreach (var method in AmqpMethodSamples.All)
        {
            Assert.Equal(method.Name, AmqpMethodDecoder.Name(method.ClassId, method.MethodId));
        }

        Assert.Equal("method 99/1", AmqpMethodDecoder.Name(99, 1));
    }
}
