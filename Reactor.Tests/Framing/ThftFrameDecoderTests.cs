using System.Buffers;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Tests.Framing;

/// <summary>The THFT decoders through the harness, on the Python client's captured requests and the spec's answers.</summary>
[Trait("Category", "Unit")]
public class ThftFrameDecoderTests
{
    // Captured from the Python client (PegasusCodecTests): multi_get, get_scanner, scan, multi_put, sortkey_count.
    private static readonly string[] CapturedRequests =
    [
        "54484654000000000000003000000000000000710000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f474554000000090c00010c0001000000066361705f68320f00020c0000000400000003615f3100000003615f32000000097a7a5f616273656e7400000003625f3108000300000064080004000f4240020005000000",
        "54484654000000000000003000000000000000610000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000195250435f525244425f525244425f4745545f5343414e4e4552000000120c00010c00010000000b00066361705f68337330320c00020000000b00066361705f683373303702000301020004000800050000000202000b000000",
        "544846540000000000000030000000000000002e0000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000125250435f525244425f525244425f5343414e000000130c00010a00010000009a000000000000",
        "54484654000000000000003000000000000000830000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f505554000000080c00010c0001000000066361705f68320f00020c000000030c000100000003615f310c000200000003766131000c000100000003615f320c000200000003766132000c000100000003625f310c00020000000376623100080003000000000000",
        "54484654000000000000003000000000000000350000000000000002000000000000000000003ddeb5ef20157d6d6c08800100010000001b5250435f525244425f525244425f534f52544b45595f434f554e540000000b0c0001000000066361705f683200",
    ];

    [Fact]
    public void CapturedRequests_AndAV1Request_DecodeTheSame_HoweverTheStreamIsCut()
    {
        var v1 = new ArrayBufferWriter<byte>();
        ThftFrames.WriteRequest(v1, new ArrayBufferWriter<byte>(), new RequestHeader(1, 2, 3, 1000, 42, true), RpcNames.Get, 77, new BlobArgs(PegasusKey.Compose("h"u8, "s"u8)));
        var stream = CapturedRequests.SelectMany(Convert.FromHexString).Concat(v1.WrittenSpan.ToArray()).ToArray();

        var requests = FrameDecoderHarness.DecodeEveryWay(() => ThftFrameDecoder.Requests(1 << 20), stream, DescribeRequest);

        Assert.Equal(
            [
                "v0 RPC_RRDB_RRDB_MULTI_GET #9 app 2 partition 0 (161 bytes)",
                "v0 RPC_RRDB_RRDB_GET_SCANNER #18 app 2 partition 1 (145 bytes)",
                "v0 RPC_RRDB_RRDB_SCAN #19 app 2 partition 1 (94 bytes)",
                "v0 RPC_RRDB_RRDB_MULTI_PUT #8 app 2 partition 0 (179 bytes)",
                "v0 RPC_RRDB_RRDB_SORTKEY_COUNT #11 app 2 partition 0 (101 bytes)",
                $"v1 RPC_RRDB_RRDB_GET #77 app 2 partition 3 ({v1.WrittenCount} bytes)",
            ],
            requests);
    }

    [Fact]
    public void TheSpecsAnswers_DecodeTheSame_HoweverTheStreamIsCut()
    {
        var stream = Hex(
            "00000066 00000006", Ascii("ERR_OK"), "80010002 00000015", Ascii("RPC_RRDB_RRDB_GET_ACK"), "00000001",
            "0c 0000 08 0001 00000000 0c 0002 00000001 76 08 0003 00000002 08 0004 00000000 0b 0006 0000000e", Ascii("10.0.0.1:34801"), "00 00",
            "0000003d 00000014", Ascii("ERR_OBJECT_NOT_FOUND"), "80010002 00000015", Ascii("RPC_RRDB_RRDB_GET_ACK"), "00000002");

        var answers = FrameDecoderHarness.DecodeEveryWay(() => ThftFrameDecoder.Responses(1 << 20), stream, DescribeResponse);

        Assert.Equal(["ERR_OK RPC_RRDB_RRDB_GET_ACK #1 result (102 bytes)", "ERR_OBJECT_NOT_FOUND RPC_RRDB_RRDB_GET_ACK #2 (61 bytes)"], answers);
    }

    [Theory]
    [InlineData("00000003 00000000", false)]
    [InlineData("7fffffff 00000000", true)]
    [InlineData("00100001 00000000", true)]
    public void MalformedResponses_AreRejected(string hex, bool tooLarge)
    {
        var error = FrameDecoderHarness.Rejects(() => ThftFrameDecoder.Responses(1 << 20), Hex(hex));
        Assert.Equal(tooLarge, error is FrameTooLargeException);
    }

    [Theory]
    [InlineData("47455420 2f204854 54502f31 2e310d0a", false)] // "GET / HTTP/1.1\r\n": not THFT
    [InlineData("54484654 00000000 00000031 00000000", false)] // a v0 header that is not 48 bytes
    [InlineData("54484654 00000002 00000000 00000000", false)] // an unknown header version
    [InlineData("54484654 00000001 00000025 7fffffff", true)]
    [InlineData("54484654 00000000 00000030 00000000 7fffffff", true)]
    public void MalformedRequests_AreRejected(string hex, bool tooLarge)
    {
        var error = FrameDecoderHarness.Rejects(() => ThftFrameDecoder.Requests(1 << 20), Hex(hex));
        Assert.Equal(tooLarge, error is FrameTooLargeException);
    }

    private static string DescribeRequest(ReadOnlySequence<byte> frame)
    {
        var reader = new ThriftReader(frame.ToArray());
        var (header, name, seqid) = ThftFrames.ReadRequest(ref reader);
        return $"v{header.Version} {name} #{seqid} app {header.AppId} partition {header.PartitionIndex} ({frame.Length} bytes)";
    }

    private static string DescribeResponse(ReadOnlySequence<byte> frame)
    {
        var reader = new ThriftReader(frame.ToArray());
        var (error, name, seqid, hasResult) = ThftFrames.ReadResponse(ref reader);
        return $"{error} {name} #{seqid}{(hasResult ? " result" : "")} ({frame.Length} bytes)";
    }

    private static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));

    private static byte[] Hex(params string[] parts) => Convert.FromHexString(string.Concat(parts).Replace(" ", "", StringComparison.Ordinal));
}
