using System.Text;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Tests.Framing;

/// <summary>The embedded Kyoto Tycoon server's request decoder through the harness: HTTP and binary by first byte.</summary>
[Trait("Category", "Unit")]
public class KtRequestDecoderTests
{
    private const string RpcBody = "key\tk\nvalue\tv\n";

    [Fact]
    public void HttpAndBinaryRequests_DecodeTheSame_HoweverTheStreamIsCut()
    {
        var stream = Concat(
            Ascii($"POST /rpc/set HTTP/1.1\r\nHost: x\r\nContent-Type: text/tab-separated-values\r\nContent-Length: {RpcBody.Length}\r\n\r\n{RpcBody}"),
            Ascii("GET /rpc/echo?a=1 HTTP/1.0\nConnection: keep-alive\n\n"),
            Ascii("PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"),
            Hex("b8 00000000 00000001 0000 00000001 00000001 7fffffffffffffff 6b 76"),
            Hex("ba 00000000 00000001 0000 00000001 6b"),
            Hex("b9 00000001 00000002 0000 00000001 61 0001 00000001 62"),
            Hex("b4 00000000 00000004 00000001 6563686f 00000001 00000001 61 62"),
            Hex("b1 00000001 0000000000000064 0002"),
            Hex("b1 b1"));

        var requests = FrameDecoderHarness.DecodeEveryWay(Decoder, stream, Describe);

        Assert.Equal(
            [
                $"POST /rpc/set HTTP/1.1 [content-length,content-type,host] {RpcBody}",
                "GET /rpc/echo?a=1 HTTP/1.0 [connection] ",
                "PUT /k HTTP/1.1 [transfer-encoding] abcde",
                "bulk B8 flags 0: 0:k=v@9223372036854775807",
                "bulk BA flags 0: 0:k=@0",
                "bulk B9 flags 1: 0:a=@0,1:b=@0",
                "script echo flags 0: a=b",
                "replicate from 100 for sid 2 flags 1",
                "ack",
                "ack",
            ],
            requests);
    }

    [Fact]
    public void AGetBody_IsNotRead_ButParsedAsTheNextRequest()
    {
        // ktserver never reads a GET body (spec §9.1): its bytes are the next request, here a malformed one.
        var error = FrameDecoderHarness.Rejects(Decoder, Ascii("GET /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd\r\n"));
        Assert.Equal(KtRejection.Close, Assert.IsType<KtRequestRejectedException>(error).Answer);
    }

    [Theory]
    [InlineData("GET /x HTTP/2.0\r\n\r\n", (int)KtRejection.Close)]
    [InlineData("GET  HTTP/1.1\r\n\r\n", (int)KtRejection.Close)]
    [InlineData("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", (int)KtRejection.Abort)]
    [InlineData("GET /x HTTP/1.1\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", (int)KtRejection.Abort)]
    [InlineData("POST /x HTTP/1.1\r\nContent-Length: 2000\r\n\r\n", (int)KtRejection.TooLarge)]
    [InlineData("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n801\r\n", (int)KtRejection.TooLarge)]
    [InlineData("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", (int)KtRejection.BadRequest)]
    [InlineData("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", (int)KtRejection.BadRequest)]
    public void HttpRequestsKtserverRefuses_SayHowItAnswers(string wire, int answer)
    {
        var error = FrameDecoderHarness.Rejects(Decoder, Ascii(wire));
        Assert.Equal((KtRejection)answer, Assert.IsType<KtRequestRejectedException>(error).Answer);
    }

    [Theory]
    [InlineData("80", (int)KtRejection.Close)]
    [InlineData("00", (int)KtRejection.Close)]
    [InlineData("b8 00000000 00000001 0000 00000011 00000001 0000000000000000", (int)KtRejection.ErrorByte)]
    [InlineData("ba 00000000 00000001 0000 7fffffff", (int)KtRejection.ErrorByte)]
    [InlineData("b4 00000000 00000011 00000000", (int)KtRejection.Close)]
    [InlineData("b4 00000000 00000001 00000001 61 00000001 00000100", (int)KtRejection.Close)]
    [InlineData("b1 00000000 0000000000000000 0001 b1 42", (int)KtRejection.Abort)]
    public void BinaryRequestsKtserverRefuses_SayHowItAnswers(string hex, int answer)
    {
        var error = FrameDecoderHarness.Rejects(Decoder, Hex(hex));
        Assert.Equal((KtRejection)answer, Assert.IsType<KtRequestRejectedException>(error).Answer);
    }

    private static KtRequestDecoder Decoder() => new(maxLine: 64, maxBody: 1024, maxField: 16);

    private static string Describe(KtRequest request) => request switch
    {
        KtRequest.Http http => $"{http.Method} {http.Target} {http.Version} [{string.Join(",", http.Headers.Keys.Order(StringComparer.Ordinal))}] {Text(http.Body)}",
        KtRequest.Bulk bulk => $"bulk {bulk.Magic:X2} flags {bulk.Flags}: " + string.Join(",", bulk.Records.Select(r => $"{r.Db}:{Text(r.Key)}={Text(r.Value)}@{r.Xt}")),
        KtRequest.Script script => $"script {script.Name} flags {script.Flags}: " + string.Join(",", script.Records.Select(r => $"{Text(r.Key)}={Text(r.Value)}")),
        KtRequest.Replicate replicate => $"replicate from {replicate.Timestamp} for sid {replicate.ServerId} flags {replicate.Flags}",
        _ => "ack",
    };

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Hex(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
