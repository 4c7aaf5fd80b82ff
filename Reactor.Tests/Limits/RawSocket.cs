using System.Net;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Limits;

/// <summary>A plain loopback socket, so a limit test sees exactly what the server does to the connection.</summary>
internal sealed class RawSocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly StringBuilder _received = new();

    private RawSocket()
    {
    }

    public static async Task<RawSocket> Connect(int port)
    {
        var raw = new RawSocket();
        await raw._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Guard.Timeout);
        return raw;
    }

    public Task Send(string text) => Send(Encoding.Latin1.GetBytes(text));

    public async Task Send(byte[] data)
    {
        var sent = 0;
        while (sent < data.Length)
        {
            sent += await _socket.SendAsync(data.AsMemory(sent)).AsTask().WaitAsync(Guard.Timeout);
        }
    }

    /// <summary>Reads until the text received so far contains <paramref name="marker"/>; returns it all and forgets it.</summary>
    public async Task<string> ReadUntil(string marker)
    {
        var buffer = new byte[4096];
        while (!_received.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Guard.Timeout);
            if (n == 0)
            {
                throw new InvalidOperationException($"The server closed the connection before sending '{marker}'; got '{_received}'.");
            }

            _received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        var text = _received.ToString();
        _received.Clear();
        return text;
    }

    /// <summary>Waits until the server closes (FIN or reset); returns how many bytes arrived before that.</summary>
    public async Task<long> WhenClosed()
    {
        var buffer = new byte[64 << 10];
        long total = 0;
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Guard.Timeout);
                if (n == 0)
                {
                    return total;
                }

                total += n;
            }
        }
        catch (SocketException)
        {
            return total;
        }
    }

    public void Dispose() => _socket.Dispose();
}
