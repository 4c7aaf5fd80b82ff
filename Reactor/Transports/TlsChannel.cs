using System.Buffers;
using System.Net;
using System.Net.Security;

namespace ReactiveKv;

/// <summary>TLS over a socket, through <see cref="SslStream"/>. The handshake is done before the channel is built.</summary>
internal sealed class TlsChannel(SslStream stream, SocketChannel inner) : IByteChannel
{
    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public bool NoDelay
    {
        get => inner.NoDelay;
        set => inner.NoDelay = value;
    }

    public bool KeepAlive
    {
        get => inner.KeepAlive;
        set => inner.KeepAlive = value;
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => stream.ReadAsync(buffer);

    public async ValueTask SendAsync(ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            await stream.WriteAsync(segment).ConfigureAwait(false);
        }

        await stream.FlushAsync().ConfigureAwait(false);
    }

    public void Abort()
    {
        inner.Abort();
        stream.Dispose();
    }

    public void Dispose()
    {
        inner.Dispose();
        stream.Dispose();
    }
}
