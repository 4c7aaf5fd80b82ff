using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>
/// A plain socket to one node of the embedded cluster, as a test client with no library in between: it sends exact
/// bytes and hands back each reply frame exactly as received (split with the Wire frame decoder).
/// </summary>
internal sealed class RawKeyspaceConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly KeyspaceFrameDecoder _decoder = new(long.MaxValue);
    private byte[] _buffered = [];
    private ulong _nextId = 1000;

    private RawKeyspaceConnection(Socket socket) => _socket = socket;

    public static async Task<RawKeyspaceConnection> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint).Within();
        return new RawKeyspaceConnection(socket);
    }

    public async Task SendAsync(string ascii) => await SendAsync(Encoding.Latin1.GetBytes(ascii));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes).Within();

    /// <summary>Sends <paramref name="request"/> with a fresh id when it has none; returns the id.</summary>
    public async Task<ulong> SendAsync(KeyspaceRequest request)
    {
        if (request.Id == 0 && request.Command != KeyspaceCommand.Submit)
        {
            request.Id = _nextId++;
        }

        var output = new ArrayBufferWriter<byte>();
        KeyspaceFrameWriter.Write(output, request);
        await SendAsync(output.WrittenSpan.ToArray());
        return request.Id;
    }

    public Task SubmitAsync() => SendAsync("1:*");

    /// <summary>The next reply frame, <c>len:body</c>, exactly as it came.</summary>
    public async Task<string> NextAsync()
    {
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(_buffered);
            if (_decoder.TryDecode(ref buffer, out _))
            {
                var used = (int)(_buffered.Length - buffer.Length);
                var frame = Encoding.Latin1.GetString(_buffered, 0, used);
                _buffered = _buffered[used..];
                return frame;
            }

            if (!await ReceiveAsync(Guard.Timeout))
            {
                throw new IOException($"The connection closed with '{Encoding.Latin1.GetString(_buffered)}' unread.");
            }
        }
    }

    /// <summary>The next <paramref name="count"/> reply frames, concatenated as on the wire.</summary>
    public async Task<string> NextAsync(int count)
    {
        var frames = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            frames.Append(await NextAsync());
        }

        return frames.ToString();
    }

    /// <summary>The next reply, parsed.</summary>
    public async Task<KeyspaceReply> NextReplyAsync()
    {
        var frame = await NextAsync();
        return KeyspaceReply.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(frame[(frame.IndexOf(':', StringComparison.Ordinal) + 1)..])));
    }

    /// <summary>Sends a request and returns its one reply, parsed.</summary>
    public async Task<KeyspaceReply> CallAsync(KeyspaceRequest request)
    {
        await SendAsync(request);
        return await NextReplyAsync();
    }

    /// <summary>Sends a write and a submit, and returns the write's reply.</summary>
    public async Task<KeyspaceReply> WriteAsync(KeyspaceRequest write)
    {
        await SendAsync(write);
        await SubmitAsync();
        return await NextReplyAsync();
    }

    /// <summary>A list's items up to its end mark: keys (list-keys) or <c>key=value</c> (list-key-values).</summary>
    public async Task<List<string>> ListAsync(KeyspaceRequest request)
    {
        await SendAsync(request);
        var items = new List<string>();
        while (await NextReplyAsync() is { Type: not KeyspaceReplyType.ListEnd } item)
        {
            var key = Encoding.Latin1.GetString(item.Key!);
            items.Add(item.Value is null ? key : $"{key}={Encoding.Latin1.GetString(item.Value)}");
        }

        return items;
    }

    /// <summary>True when the server closed the connection with nothing more unread.</summary>
    public async Task<bool> ClosedAsync()
    {
        while (await ReceiveAsync(Guard.Timeout))
        {
        }

        return _buffered.Length == 0;
    }

    /// <summary>True when nothing arrives for <paramref name="quiet"/> and the connection stays open (only for "never answers").</summary>
    public async Task<bool> SilentForAsync(TimeSpan quiet)
    {
        try
        {
            return !await ReceiveAsync(quiet) ? false : _buffered.Length == 0;
        }
        catch (TimeoutException)
        {
            return _buffered.Length == 0;
        }
    }

    /// <summary>Reads what is there; false at end of stream.</summary>
    private async Task<bool> ReceiveAsync(TimeSpan timeout)
    {
        var chunk = new byte[64 * 1024];
        using var cancel = new CancellationTokenSource(timeout);
        int read;
        try
        {
            read = await _socket.ReceiveAsync(chunk, SocketFlags.None, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("Nothing arrived in time.");
        }
        catch (SocketException)
        {
            return false;
        }

        _buffered = [.. _buffered, .. chunk.AsSpan(0, read)];
        return read > 0;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
