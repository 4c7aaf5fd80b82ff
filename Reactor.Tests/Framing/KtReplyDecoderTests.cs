using System.Text;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Tests.Framing;

/// <summary>The Kyoto Tycoon client's reply decoder through the harness: HTTP and binary replies mixed on one stream.</summary>
[Trait("Category", "Unit")]
public class KtReplyDecoderTests
{
    private const string Body = "num\t42\n";

    // In the order the replies come: what each request told the decoder to expect.
    private static readonly KtAwaited[] Awaited =
    [
        new(KtConnection.Kind.Http),
        new(KtConnection.Kind.Http, Head: true),
        new(KtConnection.Kind.BinaryCount, Magic: BinaryProtocol.SetBulk),
        new(KtConnection.Kind.BinaryGetBulk, Magic: BinaryProtocol.GetBulk),
        new(KtConnection.Kind.BinaryScript, Magic: BinaryProtocol.PlayScript),
        new(KtConnection.Kind.BinaryCount, Magic: BinaryProtocol.RemoveBulk),
        new(KtConnection.Kind.BinaryScript, Magic: BinaryProtocol.PlayScript),
        new(KtConnection.Kind.Http),
    ];

    [Fact]
    public void HttpAndBinaryReplies_DecodeTheSame_HoweverTheStreamIsCut()
    {
        var stream = Concat(
            Ascii($"HTTP/1.1 200 OK\r\nServer: KyotoTycoon/0.9.56b\r\nDate: Sun, 22 Nov 2026 09:16:09 GMT\r\nContent-Length: {Body.Length}\r\nContent-Type: text/tab-separated-values\r\n\r\n{Body}"),
            Ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Kt-Xt: Tue, 01 Jan 2030 00:00:00 GMT\r\n\r\n"),
            Hex("b8 00000001"),
            Hex("ba 00000001 0000 00000001 00000001 000000ffffffffff 6b 76"),
            Hex("b4 00000001 00000001 00000002 61 7879"),
            Hex("bf"),
            Hex("bf"),
            Ascii("HTTP/1.1 450 Logical Inconsistency\r\nContent-Length: 0\r\n\r\n"));

        var replies = FrameDecoderHarness.DecodeEveryWay(() => Decoder(Awaited), stream, Describe);

        Assert.Equal(
            [
                $"200 OK [{Body}] xt=",
                "200 OK [] xt=Tue, 01 Jan 2030 00:00:00 GMT",
                "hits 1",
                $"records 0:k=v@{KtExpiry.NeverAbsolute}",
                "script a=xy",
                "error",
                "error",
                "450 Logical Inconsistency [] xt=",
            ],
            replies);
    }

    [Fact]
    public void BytesNobodyAskedFor_AreAProtocolError()
    {
        FrameDecoderHarness.Rejects(() => Decoder([]), Ascii("HTTP/1.1 200 OK\r\n\r\n"));
        FrameDecoderHarness.Rejects(() => Decoder([new(KtConnection.Kind.BinaryCount, Magic: BinaryProtocol.SetBulk)]), Hex("b8 00000001 b8 00000001"));
    }

    [Theory]
    [InlineData("SMTP ready\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", true)]
    public void MalformedHttpReplies_AreRejected(string wire, bool tooLarge)
    {
        var error = FrameDecoderHarness.Rejects(() => Decoder([new(KtConnection.Kind.Http)]), Ascii(wire));
        Assert.Equal(tooLarge, error is FrameTooLargeException);
    }

    [Theory]
    [InlineData((int)KtConnection.Kind.BinaryCount, BinaryProtocol.SetBulk, "ba 00000001", false)]
    [InlineData((int)KtConnection.Kind.BinaryGetBulk, BinaryProtocol.GetBulk, "b8 00000001", false)]
    [InlineData((int)KtConnection.Kind.BinaryGetBulk, BinaryProtocol.GetBulk, "ba 00000001 0000 7fffffff 00000001 000000ffffffffff", true)]
    [InlineData((int)KtConnection.Kind.BinaryScript, BinaryProtocol.PlayScript, "b4 00000001 00000001 10000001", true)]
    public void MalformedBinaryReplies_AreRejected(int kind, byte magic, string hex, bool tooLarge)
    {
        var error = FrameDecoderHarness.Rejects(() => Decoder([new((KtConnection.Kind)kind, Magic: magic)]), Hex(hex));
        Assert.Equal(tooLarge, error is FrameTooLargeException);
    }

    private static KtReplyDecoder Decoder(KtAwaited[] awaited)
    {
        var decoder = new KtReplyDecoder(1 << 20);
        foreach (var next in awaited)
        {
            decoder.Expect(next);
        }

        return decoder;
    }

    private static string Describe(KtReply reply) => reply switch
    {
        { Http: { } http } => $"{http.Status} {http.Reason} [{Encoding.ASCII.GetString(http.Body)}] xt={http.Header("X-Kt-Xt")}",
        { Failed: true } => "error",
        { Binary: long hits } => $"hits {hits}",
        { Binary: List<(ushort Db, byte[] Key, byte[] Value, long Xt)> records } => "records " + string.Join(",", records.Select(r => $"{r.Db}:{Text(r.Key)}={Text(r.Value)}@{r.Xt}")),
        { Binary: List<(byte[] Key, byte[] Value)> records } => "script " + string.Join(",", records.Select(r => $"{Text(r.Key)}={Text(r.Value)}")),
        _ => "?",
    };

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Hex(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
