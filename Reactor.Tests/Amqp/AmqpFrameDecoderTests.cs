using System.Buffers;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Framing;
using static ReactiveKv.Tests.Amqp.AmqpTestBytes;

namespace ReactiveKv.Tests.Amqp;

/// <summary>The frame decoder through the harness, and every way a frame can be refused.</summary>
[Trait("Category", "Unit")]
public class AmqpFrameDecoderTests
{
    private static readonly byte[] Heartbeat = Hex("08 0000 00000000 CE");

    [Fact]
    public void AStreamOfEveryFrameType_DecodesTheSame_HoweverItIsCut()
    {
        var publish = Written(output => AmqpFrameWriter.WritePublish(output, 1, new BasicPublish { RoutingKey = "q1" }, new BasicProperties { ContentType = "text/plain" }, "hello"u8.ToArray(), 4096));
        var stream = Hex("01 0000 00000004 000A 0033 CE").Concat(publish).Concat(Heartbeat).Concat(Hex("03 0001 00000000 CE")).ToArray();

        var frames = FrameDecoderHarness.DecodeEveryWay(() => new AmqpFrameDecoder(), stream, frame => $"{frame.Type} {frame.Channel} {ToHex(frame.Payload)}");

        Assert.Equal(
            [
                "Method 0 000A0033",
                "Method 1 003C002800000002713100",
                "Header 1 003C000000000000000000058000" + "0A" + Convert.ToHexString("text/plain"u8),
                "Body 1 68656C6C6F",
                "Heartbeat 0 ",
                "Body 1 ",
            ],
            frames);
    }

    [Fact]
    public void AFrameUpToTheMaximum_IsAccepted_AndTheMaximumCanBeRaisedAfterTune()
    {
        var decoder = new AmqpFrameDecoder(4096);
        var full = Written(output => AmqpFrameWriter.WriteBody(output, 3, new ReadOnlySequence<byte>(new byte[4088]), 4096));
        var buffer = new ReadOnlySequence<byte>(full);
        Assert.True(decoder.TryDecode(ref buffer, out var frame));
        Assert.Equal(4088, frame.Payload.Length);
        Assert.True(buffer.IsEmpty);

        var bigger = Hex("03 0003 00001000").Concat(new byte[4096]).Append((byte)0xCE).ToArray();
        Assert.Throws<FrameTooLargeException>(() => Decode(decoder, bigger));
        decoder.MaxFrameSize = 131072;
        Assert.Equal(4096, Decode(decoder, bigger).Payload.Length);
    }

    [Fact]
    public void AnOversizedFrame_IsRefusedFromItsHeader_BeforeItsPayloadIsBuffered()
    {
        var error = FrameDecoderHarness.Rejects(() => new AmqpFrameDecoder(4096), Hex("03 0001 00000FF9"));
        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("4089", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("08 0000 00000000 00", "0x00")]
    [InlineData("01 0000 00000004 000A 0033 CF", "0xCF")]
    [InlineData("04 0000 00000000 CE", "type 0x04")]
    [InlineData("00", "type 0x00")]
    [InlineData("'AMQX' 00 00 09 01", "'A'")]
    public void MalformedFrames_AreProtocolErrors(string hex, string expected)
    {
        var error = FrameDecoderHarness.Rejects(() => new AmqpFrameDecoder(), Hex(hex));
        Assert.IsType<AmqpFrameException>(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'AMQP' 00 00 09 01", 0, 0, 9, 1)]
    [InlineData("'AMQP' 01 01 08 00", 1, 1, 8, 0)]
    public void AServersProtocolHeader_IsAVersionMismatch_WithTheVersionItOffered(string hex, int id, int major, int minor, int revision)
    {
        var error = Assert.IsType<AmqpVersionMismatchException>(FrameDecoderHarness.Rejects(() => new AmqpFrameDecoder(), Hex(hex)));
        Assert.Equal(((byte)id, (byte)major, (byte)minor, (byte)revision), (error.ProtocolId, error.Major, error.Minor, error.Revision));
    }

    [Fact]
    public void APartialProtocolHeader_WaitsForTheRest()
    {
        var buffer = new ReadOnlySequence<byte>(Hex("'AMQP' 00 00 09"));
        Assert.False(new AmqpFrameDecoder().TryDecode(ref buffer, out _));
        Assert.Equal(7, buffer.Length);
    }

    [Fact]
    public void TheProtocolHeader_IsAmqp0091()
    {
        Assert.Equal(Hex("'AMQP' 00 00 09 01"), Written(AmqpFrameWriter.WriteProtocolHeader));
        Assert.Equal(Heartbeat, Written(AmqpFrameWriter.WriteHeartbeat));
    }

    [Fact]
    public void AFrameMaximumBelowTheFrameOverhead_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AmqpFrameDecoder(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AmqpFrameDecoder(7));
    }

    private static AmqpFrame Decode(AmqpFrameDecoder decoder, byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(decoder.TryDecode(ref buffer, out var frame));
        return frame;
    }
}
