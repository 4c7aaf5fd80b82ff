using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ReactiveKv;

/// <summary>A plain socket (TCP or Unix). Multi-segment sends go out as one gathered system call.</summary>
internal sealed class SocketChannel : IByteChannel
{
    private readonly Socket _socket;
    private readonly List<ArraySegment<byte>> _segments = [];

    public SocketChannel(Socket socket, TransportOptions options)
    {
        _socket = socket;
        LocalEndPoint = socket.LocalEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        RemoteEndPoint = socket.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        IsTcp = socket.ProtocolType == ProtocolType.Tcp;
        if (IsTcp)
        {
            NoDelay = options.NoDelay;
            KeepAlive = options.KeepAlive;
            if (options.KeepAlive && options.KeepAliveTime is { } idle)
            {
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, Math.Max(1, (int)idle.TotalSeconds));
            }
        }
    }

    public EndPoint LocalEndPoint { get; }

    /// <summary>The socket itself, for a transport that polls and reads it from its loop.</summary>
    public Socket Socket => _socket;

    public EndPoint RemoteEndPoint { get; }

    private bool IsTcp { get; }

    public bool NoDelay
    {
        get => IsTcp && _socket.NoDelay;
        set
        {
            if (IsTcp)
            {
                _socket.NoDelay = value;
            }
        }
    }

    public bool KeepAlive
    {
        get => IsTcp && (int)_socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)! != 0;
        set
        {
            if (IsTcp)
            {
                _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, value);
            }
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => _socket.ReceiveAsync(buffer, SocketFlags.None);

    public async ValueTask SendAsync(ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            await SendAllAsync(data.First).ConfigureAwait(false);
            return;
        }

        _segments.Clear();
        foreach (var segment in data)
        {
            if (!MemoryMarshal.TryGetArray(segment, out var array))
            {
                await SendEachAsync(data).ConfigureAwait(false);
                return;
            }

            _segments.Add(array);
        }

        var sent = await _socket.SendAsync(_segments, SocketFlags.None).ConfigureAwait(false);
        if (sent < data.Length)
        {
            await SendEachAsync(data.Slice(sent)).ConfigureAwait(false);
        }
    }

    public Task ShutdownOutputAsync()
    {
        try
        {
            WriteHalf.Shutdown(_socket);
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return Task.FromException(e);
        }
    }

    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing to reset.
        }

        _socket.Dispose();
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer may already be gone; closing is all that is left.
        }

        _socket.Dispose();
    }

    private async ValueTask SendEachAsync(ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            await SendAllAsync(segment).ConfigureAwait(false);
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }
}
