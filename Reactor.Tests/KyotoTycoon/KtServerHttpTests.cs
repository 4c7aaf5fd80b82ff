using System.Net.Sockets;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>The embedded server's HTTP layer as raw bytes (spec §2.1, §4): chunked bodies, X-Kt-Xt time formats, unread GET bodies.</summary>
public sealed class KtServerHttpTests() : KtServerTest(1)
{
    private const long Now = 1_800_000_000;

    private readonly TestScheduler _clock = new(DateTimeOffset.FromUnixTimeSeconds(Now));

    protected override KtServerOptions ServerOptions => new() { Clock = _clock };

    [Theory]
    [InlineData("2030-03-17T10:20:30Z", 1_899_973_230)]
    [InlineData("2030-03-17T19:20:30+09:00", 1_899_973_230)]
    [InlineData("2030-03-17T10:20:30.250Z", 1_899_973_230)]
    [InlineData("2030-03-17", 1_899_936_000)]
    [InlineData("2030/03/17 10:20:30", 1_899_973_230)]
    [InlineData("Sun, 17 Mar 2030 10:20:30 GMT", 1_899_973_230)]
    [InlineData("17 Mar 2030 19:20:30 +0900", 1_899_973_230)]
    [InlineData("  1899973230", 1_899_973_230)]
    [InlineData("0x713F8D6E", 0x713F8D6E)]
    [InlineData("60", 60)]
    [InlineData("2m", 120)]
    [InlineData("1d", 86_400)]
    public void XKtXt_AcceptsStrmktimesFormats(string text, long epochSeconds) => Assert.Equal(epochSeconds, KtTimeText.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tomorrow")]
    [InlineData("17 Foo 2030 10:20:30 GMT")]
    public void XKtXt_Garbage_IsNotATime(string text) => Assert.Equal(KtTimeText.Invalid, KtTimeText.Parse(text));

    [Theory]
    [InlineData("Sun, 17 Mar 2030 10:20:30 GMT", 1_899_973_230L)]
    [InlineData("2030-03-17T19:20:30+09:00", 1_899_973_230L)]
    [InlineData("garbage", null)]
    [InlineData("99999999999999", null)]
    public async Task RestPut_StoresTheAbsoluteXt_InAnyOfItsFormats(string header, long? stored)
    {
        var reply = await ExchangeAsync($"PUT /k HTTP/1.1\r\nX-Kt-Xt: {header}\r\nContent-Length: 1\r\n\r\nv");

        Assert.StartsWith("HTTP/1.1 201 Created", reply);
        var record = await Client.Get(B("k")).ToTask().Within();
        Assert.Equal(stored, record!.ExpiresAt?.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task RestPut_ASmallNumber_IsA1970Time_AndTheRecordIsAlreadyGone()
    {
        var reply = await ExchangeAsync("PUT /k HTTP/1.1\r\nX-Kt-Xt: 60\r\nContent-Length: 1\r\n\r\nv");

        Assert.StartsWith("HTTP/1.1 201 Created", reply);
        Assert.Null(await Client.Get(B("k")).ToTask().Within());
    }

    [Fact]
    public async Task ChunkedRpcBody_IsReassembled_AndPipelinedRequestsAfterItAreServed()
    {
        var body = "key\tchunky\nvalue\tbacon and eggs\n";
        var chunked = $"5;ext=1\r\n{body[..5]}\r\n{(body.Length - 5):x}\r\n{body[5..]}\r\n0\r\nX-Trailer: t\r\n\r\n";
        var replies = await ExchangeAsync(
            "POST /rpc/set HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: text/tab-separated-values\r\n\r\n" + chunked +
            "POST /rpc/get HTTP/1.1\r\nContent-Type: text/tab-separated-values\r\nContent-Length: 11\r\nConnection: close\r\n\r\nkey\tchunky\n",
            serverCloses: true);

        Assert.Equal(2, replies.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Contains("value\tbacon and eggs", replies);
    }

    [Fact]
    public async Task ChunkedBody_WithABadSize_Answers400AndCloses()
    {
        var reply = await ExchangeAsync("POST /rpc/void HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", serverCloses: true);

        Assert.StartsWith("HTTP/1.1 400 Bad Request", reply);
        Assert.Contains("Connection: close", reply);
    }

    [Fact]
    public async Task ChunkedBody_OverTheLimit_Answers413()
    {
        await using var server = await KtServer.StartAsync(Reactor, new KtServerOptions { MaxBodyBytes = 16 });

        var reply = await ExchangeAsync("POST /rpc/void HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n", server, serverCloses: true);

        Assert.StartsWith("HTTP/1.1 413 Request Entity Too Large", reply);
    }

    [Fact]
    public async Task AGetBody_IsNotRead_SoItsBytesBreakTheConnection()
    {
        // The body "DB<TAB>0" is read as the next request line, which is malformed: the server closes without a reply.
        var reply = await ExchangeAsync("GET /rpc/void HTTP/1.1\r\nContent-Length: 5\r\n\r\nDB\t0\n", serverCloses: true);

        Assert.StartsWith("HTTP/1.1 200 OK", reply);
        Assert.Equal(1, reply.Split("HTTP/1.1").Length - 1);
    }

    /// <summary>
    /// Sends the bytes and reads until the server closes: requests that keep the connection open get a trailing
    /// <c>void</c> with <c>Connection: close</c>.
    /// </summary>
    private async Task<string> ExchangeAsync(string request, KtServer? server = null, bool serverCloses = false)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync((server ?? Server).Address).WaitAsync(Guard.Timeout);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(serverCloses ? request : request + "POST /rpc/void HTTP/1.1\r\nConnection: close\r\n\r\n"));
        var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(Guard.Timeout);
        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
