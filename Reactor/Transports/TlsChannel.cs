using System.Buffers;
using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// TLS as one layer over whichever transport carries the plain bytes (the loop's own epoll, pipes, or a DotNetty channel): the socket's
/// transport carries ciphertext to and from a <see cref="TransportStream"/>, <see cref="SslStream"/> runs over that, and
/// the connection's protocol gets a pipe transport over this channel. The handshake is done before the channel is returned.
/// </summary>
internal sealed class TlsChannel : IByteChannel
{
    private readonly SslStream _stream;
    private readonly TransportStream _inner;

    private TlsChannel(SslStream stream, TransportStream inner)
    {
        _stream = stream;
        _inner = inner;
    }

    /// <summary>The TLS version the handshake agreed on.</summary>
    public System.Security.Authentication.SslProtocols Protocol => _stream.SslProtocol;

    /// <summary>The transport the ciphertext moves over.</summary>
    public ITcpTransport Carrier => _inner.Transport;

    public EndPoint LocalEndPoint => _inner.Transport.Host;

    public EndPoint RemoteEndPoint => _inner.Transport.Peer;

    public bool NoDelay
    {
        get => _inner.Transport.NoDelay;
        set => _inner.Transport.NoDelay = value;
    }

    public bool KeepAlive
    {
        get => _inner.Transport.KeepAlive;
        set => _inner.Transport.KeepAlive = value;
    }

    /// <summary>
    /// Starts a transport for <paramref name="socket"/> on <paramref name="loop"/>, runs <paramref name="handshake"/> over
    /// it and returns the channel; on failure the connection is reset and the error thrown.
    /// </summary>
    public static Task<TlsChannel> HandshakeAsync(
        EventLoop loop,
        SocketChannel socket,
        TransportOptions options,
        ILogger logger,
        Func<SslStream, CancellationToken, Task> handshake,
        CancellationToken token) =>

        // The connection this transport carries is counted and tracked once, by the transport over the TLS channel.
        HandshakeAsync(loop, () => ConnectionTransports.Create(loop, socket, options, logger, tracker: null, countsAsConnection: false), handshake, token);

    /// <summary>
    /// Starts <paramref name="carrier"/> (made on <paramref name="loop"/>; another reactor's transport over its own
    /// channel, say) and runs <paramref name="handshake"/> over it, as above.
    /// </summary>
    public static async Task<TlsChannel> HandshakeAsync(
        EventLoop loop,
        Func<IConnectionTransport> carrier,
        Func<SslStream, CancellationToken, Task> handshake,
        CancellationToken token)
    {
        var inner = new TransportStream();
        await loop.InvokeAsync(() => carrier().Start(inner)).ConfigureAwait(false);
        var stream = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await handshake(stream, token).ConfigureAwait(false);
        }
        catch
        {
            inner.Abort();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new TlsChannel(stream, inner);
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => _stream.ReadAsync(buffer);

    public async ValueTask SendAsync(ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            await _stream.WriteAsync(segment).ConfigureAwait(false);
        }

        await _stream.FlushAsync().ConfigureAwait(false);
    }

    // TLS's own end of stream first (close_notify, after every record written before it), then the carrier's FIN.
    public async Task ShutdownOutputAsync()
    {
        try
        {
            await _stream.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or System.Security.Authentication.AuthenticationException)
        {
            // OpenSSL refuses a close_notify while a TLS 1.3 client has not yet read the server's post-handshake
            // messages ("shutdown while in init"): the half-close is then the carrier's FIN alone, which the peer reads
            // as the end of the stream just the same.
        }

        _inner.LoseWriteConnection();
    }

    public void Abort()
    {
        _inner.Abort();
        _stream.Dispose();
    }

    public void Dispose() => _stream.Dispose();
}
