using System.Net;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>A fake peer sends what no Kyoto Tycoon would: the affected calls fail with typed errors, nothing hangs.</summary>
public class KtMalformedReplyTests
{
    [Theory]
    [InlineData("SMTP ready\r\n\r\n", typeof(ProtocolErrorException))]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", typeof(FrameTooLargeException))]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", typeof(ProtocolErrorException))]
    public async Task AMalformedOrOversizedReply_FailsTheCall_WithATypedError(string reply, Type expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var peer = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            await socket.SendAsync(Encoding.ASCII.GetBytes(reply));
            try
            {
                // The client must give up on this connection: an orderly close (0) or a reset both count.
                return await socket.ReceiveAsync(buffer) == 0;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return true;
            }
        });
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        await using var client = KtClient.Create(reactor, new KtOptions { Port = port, MaxReplyBytes = 1 << 20 });

        var error = await Assert.ThrowsAsync<ConnectionLostException>(() => client.Get("k"u8.ToArray()).ToTask().Within());

        // The call was written, so it may have executed; the cause says what was wrong with the reply.
        Assert.True(error.MayHaveExecuted);
        Assert.IsType(expected, error.InnerException);
        Assert.True(await peer.Within(), "the client closed the connection");
    }

    [Fact]
    public async Task BytesNobodyAskedFor_CloseTheConnection_AndTheNextCallReconnects()
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        await using var server = await KtServer.StartAsync(reactor);
        await using var client = KtClient.Create(reactor, new KtOptions { Port = server.Address.Port });

        // get_bulk's no-reply flag is not honoured by the server: the client never sets it, so replies stay in step.
        await client.SetBulkBinary([new("a"u8.ToArray(), "1"u8.ToArray())], noReply: true).ToTask().Within();
        Assert.Equal("1", Encoding.ASCII.GetString((await client.Get("a"u8.ToArray()).ToTask().Within())!.Value));
    }
}
