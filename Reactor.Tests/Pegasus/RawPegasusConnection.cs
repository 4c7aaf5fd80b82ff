using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>A bare socket that speaks THFT byte by byte, to test the embedded server without the client's help.</summary>
internal sealed class RawPegasusConnection : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private int _seqid;

    private RawPegasusConnection()
    {
    }

    public delegate T Decoder<out T>(ref ThriftReader reader);

    public static async Task<RawPegasusConnection> ConnectAsync(IPEndPoint endpoint)
    {
        var connection = new RawPegasusConnection();
        await connection._socket.ConnectAsync(endpoint);
        return connection;
    }

    public Task SendRawAsync(byte[] bytes) => _socket.SendAsync(bytes);

    /// <summary>Sends one request and returns its seqid.</summary>
    public async Task<int> SendAsync(RequestHeader header, string name, IThriftMessage args)
    {
        var output = new ArrayBufferWriter<byte>();
        var seqid = ++_seqid;
        ThftFrames.WriteRequest(output, new ArrayBufferWriter<byte>(), header, name, seqid, args);
        await _socket.SendAsync(output.WrittenMemory);
        return seqid;
    }

    /// <summary>Reads one reply frame: its error, seqid and (on ERR_OK) the decoded result.</summary>
    public async Task<(string Error, int Seqid, T? Result)> ReceiveAsync<T>(Decoder<T> decode)
        where T : class
    {
        var frame = await ReceiveFrameAsync();
        return Decode(frame, decode);
    }

    public async Task<(string Error, int Seqid, T? Result)> CallAsync<T>(RequestHeader header, string name, IThriftMessage args, Decoder<T> decode)
        where T : class
    {
        var seqid = await SendAsync(header, name, args);
        var reply = await ReceiveAsync(decode);
        Assert.Equal(seqid, reply.Seqid);
        return reply;
    }

    /// <summary>True when the server closed the connection (a read returns 0 or fails).</summary>
    public async Task<bool> ClosedByServerAsync()
    {
        var buffer = new byte[64];
        try
        {
            return await _socket.ReceiveAsync(buffer) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static (string, int, T?) Decode<T>(byte[] frame, Decoder<T> decode)
        where T : class
    {
        var reader = new ThriftReader(frame);
        var (error, _, seqid, hasResult) = ThftFrames.ReadResponse(ref reader);
        return (error, seqid, hasResult ? decode(ref reader) : null);
    }

    private async Task<byte[]> ReceiveFrameAsync()
    {
        var prefix = await ReceiveExactlyAsync(4);
        var total = BinaryPrimitives.ReadInt32BigEndian(prefix);
        var rest = await ReceiveExactlyAsync(total - 4);
        return [.. prefix, .. rest];
    }

    private async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            read += n;
        }

        return buffer;
    }
}
