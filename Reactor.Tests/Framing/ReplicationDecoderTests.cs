using System.Buffers;
using System.Text;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Tests.Framing;

/// <summary>The replication slave's decoder through the harness, on the spec's captured record (§6.3).</summary>
[Trait("Category", "Unit")]
public class ReplicationDecoderTests
{
    // Seen on the wire: SET key "repl:k", xt 2000000000, value "repl-v", sid 1, db 0.
    private const string SeenRecord = "b1 18ea536e4930b200 00000018 0001 0000 a1 06 0b 7265706c3a6b 0077359400 7265706c2d76";

    [Fact]
    public void TheAcceptance_Records_NoOps_AndDummies_DecodeTheSame_HoweverTheStreamIsCut()
    {
        var stream = Hex("b1", SeenRecord, "b0 18ea536e4930b201", "b1 18ea536e4930b202 00000000", "b1 18ea536e4930b203 00000009 0001 0000 a2 03 616263");

        var frames = FrameDecoderHarness.DecodeEveryWay(() => new ReplicationDecoder(1024), stream, Describe);

        Assert.Equal(
            [
                "Accepted 0 ",
                "Record 18ea536e4930b200 00010000A1060B7265706C3A6B00773594007265706C2D76",
                "NoOp 18ea536e4930b201 ",
                "Record 18ea536e4930b202 ",
                "Record 18ea536e4930b203 00010000A203616263",
            ],
            frames);
    }

    [Fact]
    public void TheSeenRecordsMessage_IsTheSpecsSet()
    {
        var frames = FrameDecoderHarness.DecodeEveryWay(() => new ReplicationDecoder(1024), Hex("b1", SeenRecord), frame => Convert.ToHexString(frame.Message.ToArray()));
        var record = ReplicationCodec.Decode(0x18ea536e4930b200, Convert.FromHexString(frames[1]))!;

        Assert.Equal((ReplicationOp.Set, "repl:k", "repl-v", 1, 0), (record.Op, Encoding.ASCII.GetString(record.Key), Encoding.ASCII.GetString(record.Value), (int)record.ServerId, (int)record.Database));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000), record.ExpiresAt);
    }

    [Fact]
    public void AnyOtherAnswerToTheHandshake_IsARefusal()
    {
        var frames = FrameDecoderHarness.DecodeEveryWay(() => new ReplicationDecoder(1024), Hex("bf"), frame => frame.Kind);
        Assert.Equal([ReplicationFrameKind.Refused], frames);
    }

    [Fact]
    public void UnknownBytes_AndOversizedRecords_AreRejected()
    {
        Assert.IsNotType<FrameTooLargeException>(FrameDecoderHarness.Rejects(() => new ReplicationDecoder(1024), Hex("b1 42")));
        Assert.IsType<FrameTooLargeException>(FrameDecoderHarness.Rejects(() => new ReplicationDecoder(1024), Hex("b1 b1 18ea536e4930b200 00000401")));
    }

    private static string Describe(ReplicationFrame frame) => $"{frame.Kind} {frame.Timestamp:x} {Convert.ToHexString(frame.Message.ToArray())}";

    private static byte[] Hex(params string[] parts) => Convert.FromHexString(string.Concat(parts).Replace(" ", "", StringComparison.Ordinal));
}
