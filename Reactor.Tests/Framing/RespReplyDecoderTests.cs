using System.Text;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Redis;

namespace ReactiveKv.Tests.Framing;

/// <summary>The RESP reply decoder through the harness, on the replies redis-server sends (RespReaderTests' captures).</summary>
[Trait("Category", "Unit")]
public class RespReplyDecoderTests
{
    [Fact]
    public void EveryReplyTypeBackToBack_DecodesTheSame_HoweverTheStreamIsCut()
    {
        var replies = RespReaderTests.Replies.Select(row => ((string)row[0], (string)row[1])).ToList();
        var stream = Encoding.ASCII.GetBytes(string.Concat(replies.Select(r => r.Item1)));

        var rendered = FrameDecoderHarness.DecodeEveryWay(() => new RespReplyDecoder(RespLimits.Default), stream, reply => RespValue.From(reply).ToString());

        Assert.Equal(replies.Select(r => r.Item2), rendered);
    }

    [Fact]
    public void APipelineOfBulkReplies_DecodesEachPayloadWithoutLosingBytes()
    {
        var values = new[] { "", "x", new string('v', 300), "with\r\ninside" };
        var stream = Encoding.ASCII.GetBytes(string.Concat(values.Select(v => $"${v.Length}\r\n{v}\r\n")));

        var payloads = FrameDecoderHarness.DecodeEveryWay(() => new RespReplyDecoder(RespLimits.Default), stream, reply => reply.Text());

        Assert.Equal(values, payloads);
    }

    [Theory]
    [InlineData("?x\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData("$3\r\nabcXY")]
    [InlineData("$-7\r\n")]
    [InlineData("*two\r\n")]
    [InlineData("#x\r\n")]
    [InlineData("+OK\r\n$?\r\n")]
    public void MalformedReplies_AreProtocolErrors(string wire) =>
        FrameDecoderHarness.Rejects(() => new RespReplyDecoder(RespLimits.Default), Encoding.ASCII.GetBytes(wire));

    [Theory]
    [InlineData("$11\r\n")]
    [InlineData("*4\r\n")]
    [InlineData("+this simple string is far too long")]
    public void OversizedReplies_AreRejectedBeforeTheyArrive(string wire)
    {
        var limits = new RespLimits(MaxBulkLength: 10, MaxAggregateLength: 3, MaxLineLength: 16, MaxDepth: 2);
        Assert.IsType<FrameTooLargeException>(FrameDecoderHarness.Rejects(() => new RespReplyDecoder(limits), Encoding.ASCII.GetBytes(wire)));
    }
}
