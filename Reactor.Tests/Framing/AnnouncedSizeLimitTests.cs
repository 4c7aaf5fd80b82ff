using System.Buffers;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Framing;

/// <summary>
/// Every client decoder fed a header announcing a huge size (2^31-1, and 2^63-1 where the field is 64-bit) with only
/// a few bytes behind it: it must throw its typed error at once, whole or byte by byte (not wait for the announced
/// bytes), without reserving the announced memory, and the message must name the limit and how to raise it.
/// </summary>
[Trait("Category", "Unit")]
public class AnnouncedSizeLimitTests
{
    // Far below any announced size here: an exception and its message, never the announced buffer.
    private const long AllocationBudget = 1 << 20;

    [Theory]
    [InlineData("$2147483647\r\nab", "bulk string of 2147483647 bytes", "RespLimits.MaxBulkLength", "RedisOptions.Limits.MaxBulkLength")]
    [InlineData("$9223372036854775807\r\nab", "bulk string of 9223372036854775807 bytes", "RespLimits.MaxBulkLength", "RedisOptions.Limits.MaxBulkLength")]
    [InlineData("*2147483647\r\n:1\r\n", "2147483647 elements", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    [InlineData("*9223372036854775807\r\n:1\r\n", "9223372036854775807 elements", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    // Pair counts whose doubling overflows a long: the check must not be fooled into a negative element count.
    [InlineData("%4611686018427387904\r\n:1\r\n", "4611686018427387904 pairs", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    [InlineData("%9223372036854775807\r\n:1\r\n", "9223372036854775807 pairs", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    [InlineData("!2147483647\r\nab", "bulk string of 2147483647 bytes", "RespLimits.MaxBulkLength", "RedisOptions.Limits.MaxBulkLength")]
    [InlineData("=9223372036854775807\r\nab", "bulk string of 9223372036854775807 bytes", "RespLimits.MaxBulkLength", "RedisOptions.Limits.MaxBulkLength")]
    [InlineData("~2147483647\r\n:1\r\n", "2147483647 elements", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    [InlineData("|9223372036854775807\r\n:1\r\n", "9223372036854775807 pairs", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    [InlineData(">2147483647\r\n:1\r\n", "2147483647 elements", "RespLimits.MaxAggregateLength", "RedisOptions.Limits.MaxAggregateLength")]
    public void Resp_HugeAnnouncedSizes_FailAtOnce_NamingTheLimit(string wire, string announced, string limit, string option)
    {
        var error = RejectsCheaply(() => new RespReplyDecoder(RespLimits.Default), Encoding.ASCII.GetBytes(wire));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains(announced, error.Message);
        Assert.Contains(limit, error.Message);
        Assert.Contains($"raise {option}", error.Message);
    }

    [Fact]
    public void Resp_TheMessage_ReadsAsTheLimitsName_ItsSize_AndTheOptionToRaise()
    {
        var error = RejectsCheaply(() => new RespReplyDecoder(RespLimits.Default), "$2147483647\r\nab"u8.ToArray());

        Assert.Equal("A bulk string of 2147483647 bytes exceeds RespLimits.MaxBulkLength (512 MiB); raise RedisOptions.Limits.MaxBulkLength to accept it.", error.Message);
    }

    [Theory]
    [InlineData("7fffffff 00000000")]
    [InlineData("ffffffff 00000000")]
    public void Pegasus_AResponseFrameAnnouncingMoreThanMaxFrameBytes_FailsAtOnce(string hex)
    {
        var error = RejectsCheaply(() => ThftFrameDecoder.Responses(new PegasusOptions().MaxFrameBytes), Hex(hex));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("PegasusOptions.MaxFrameBytes (64 MiB)", error.Message);
        Assert.Contains("raise PegasusOptions.MaxFrameBytes", error.Message);
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("9223372036854775807")]
    public void Kt_AnHttpContentLengthOverMaxReplyBytes_FailsAtOnce(string length)
    {
        var wire = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\nab");

        var error = RejectsCheaply(() => KtDecoder(new KtAwaited(KtConnection.Kind.Http)), wire);

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains($"Content-Length) of {length} bytes", error.Message);
        Assert.Contains("KtOptions.MaxReplyBytes (256 MiB)", error.Message);
        Assert.Contains("raise KtOptions.MaxReplyBytes", error.Message);
    }

    [Theory]
    [InlineData(BinaryProtocol.GetBulk, 2, "ba 7fffffff 0000 00000001")] // get_bulk: a count no reply under the limit can hold
    [InlineData(BinaryProtocol.PlayScript, 3, "b4 7fffffff 00000001")] // play_script likewise
    [InlineData(BinaryProtocol.PlayScript, 3, "b4 ffffffff 00000001")]
    public void Kt_ABinaryRecordCountNoReplyUnderMaxReplyBytesCanHold_FailsAtOnce(byte magic, int kind, string hex)
    {
        var error = RejectsCheaply(() => KtDecoder(new KtAwaited((KtConnection.Kind)kind, Magic: magic)), Hex(hex));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("KtOptions.MaxReplyBytes", error.Message);
        Assert.Contains("raise KtOptions.MaxReplyBytes", error.Message);
    }

    [Fact]
    public void Kt_ABinaryRecordAnnouncingAHugeKey_FailsAtOnce_NamingTheFixedFieldLimit()
    {
        var error = RejectsCheaply(
            () => KtDecoder(new KtAwaited(KtConnection.Kind.BinaryGetBulk, Magic: BinaryProtocol.GetBulk)),
            Hex("ba 00000001 0000 7fffffff 00000001 0000000000000000 6b"));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("BinaryProtocol.MaxFieldBytes (256 MiB)", error.Message);
    }

    [Fact]
    public void Kt_ABinaryRecordWithinTheFieldLimitButOverMaxReplyBytes_FailsAtOnce()
    {
        var error = RejectsCheaply(
            () => KtDecoder(new KtAwaited(KtConnection.Kind.BinaryGetBulk, Magic: BinaryProtocol.GetBulk)),
            Hex("ba 00000001 0000 00000001 0fffffff 0000000000000000 6b"));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("KtOptions.MaxReplyBytes (256 MiB)", error.Message);
    }

    [Theory]
    [InlineData("b1 0000000000000001 ffffffff 00")]
    [InlineData("b1 7fffffffffffffff 7fffffff 00")]
    public void Kt_AReplicationRecordOverItsLimit_FailsAtOnce(string hex)
    {
        // The first byte answers the replication request; the record follows.
        var error = RejectsCheaply(() => new ReplicationDecoder(BinaryProtocol.MaxFieldBytes * 2L), Hex("b1 " + hex));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("the replication record limit (512 MiB)", error.Message);
    }

    [Theory]
    [InlineData("2147483647:ab")]
    [InlineData("9223372036854775807:ab")]
    public void Keyspace_AFrameAnnouncingMoreThanTheProtocolAllows_FailsAtOnce(string wire)
    {
        var error = RejectsCheaply(() => new KeyspaceFrameDecoder(), Encoding.ASCII.GetBytes(wire));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("KeyspaceLimits.MaxFrameBodyBytes", error.Message);
        Assert.Contains("cannot be raised", error.Message);
    }

    [Theory]
    [InlineData("01 0001 7fffffff 0a00")]
    [InlineData("03 0001 ffffffff 0a00")]
    public void Amqp_AFrameAnnouncingMoreThanFrameMax_FailsAtOnce(string hex)
    {
        var error = RejectsCheaply(() => new AmqpFrameDecoder(131_072), Hex(hex));

        Assert.IsType<FrameTooLargeException>(error);
        Assert.Contains("frame_max", error.Message);
        Assert.Contains("raise AmqpOptions.FrameMax", error.Message);
    }

    /// <summary>
    /// The harness's check (whole and byte by byte, the same typed error either way) plus one: feeding the bytes
    /// whole allocates far less than the announced size, so nothing was reserved for it.
    /// </summary>
    private static ProtocolErrorException RejectsCheaply<TFrame>(Func<IFrameDecoder<TFrame>> create, byte[] wire)
    {
        var error = FrameDecoderHarness.Rejects(create, wire);
        var decoder = create();
        var buffer = new ReadOnlySequence<byte>(wire);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.ThrowsAny<ProtocolErrorException>(() =>
        {
            // Frames before the oversized one (a replication stream's answer byte) decode first.
            while (decoder.TryDecode(ref buffer, out _))
            {
            }
        });
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBudget, "the decoder reserved memory for the announced size");
        return error;
    }

    private static KtReplyDecoder KtDecoder(KtAwaited awaited)
    {
        var decoder = new KtReplyDecoder(new KtOptions().MaxReplyBytes);
        decoder.Expect(awaited);
        return decoder;
    }

    private static byte[] Hex(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));
}
