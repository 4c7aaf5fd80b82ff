using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace ReactiveKv.Tests.Support;

/// <summary>
/// The far end of a connection as a plain .NET socket (under TLS, an <see cref="SslStream"/> over it, with the
/// fixture's certificate), for tests that need a peer outside the reactor: one that half-closes with
/// <see cref="Socket.Shutdown"/>, or reads to the end of the stream.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;

    private RawPeer(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>A listening socket on a free loopback port.</summary>
    public static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    public static async Task<RawPeer> ConnectAsync(int port, bool tls)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port).Within();
        return await WrapAsync(socket, tls, server: false);
    }

    public static async Task<RawPeer> AcceptAsync(Socket listener, bool tls) =>
        await WrapAsync(await listener.AcceptAsync().Within(), tls, server: true);

    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        await _stream.WriteAsync(data).AsTask().Within();
        await _stream.FlushAsync().Within();
    }

    /// <summary>Finishes sending: under TLS a close_notify, then the FIN. Reading goes on.</summary>
    public async Task ShutdownSendAsync()
    {
        if (_stream is SslStream tls)
        {
            await tls.ShutdownAsync().Within();
        }

        _socket.Shutdown(SocketShutdown.Send);
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer).AsTask().Within();
        return buffer;
    }

    /// <summary>Everything until the peer's end of stream.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var all = new MemoryStream();
        var buffer = new byte[64 << 10];
        while (true)
        {
            var read = await _stream.ReadAsync(buffer).AsTask().Within();
            if (read == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, read);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private static async Task<RawPeer> WrapAsync(Socket socket, bool tls, bool server)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            if (server)
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = ReactorFixture.ServerCertificate }).Within();
            }
            else
            {
                await ssl.AuthenticateAsClientAsync(ReactorFixture.PinningOptions()).Within();
            }

            stream = ssl;
        }

        return new RawPeer(socket, stream);
    }
}
