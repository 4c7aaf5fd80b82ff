using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReactiveKv.Examples.KyotoTycoon;

/// <summary>
/// Stands in for an ordinary memcached client in the examples (set/get with flags over the text protocol), to show
/// that values written through Kyoto Tycoon with the memcache packer read the same through the memcached plugin.
/// </summary>
public sealed class MemcachedTextClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private Stream _stream = Stream.Null;

    /// <summary>Connects to the plugin's port.</summary>
    public static async Task<MemcachedTextClient> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var client = new MemcachedTextClient();
        await client._tcp.ConnectAsync(endpoint, cancellationToken);
        client._stream = client._tcp.GetStream();
        return client;
    }

    /// <summary><c>set key flags 0 bytes</c>; true on STORED.</summary>
    public async Task<bool> SetAsync(string key, byte[] value, uint flags, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"set {key} {flags} 0 {value.Length}\r\n")), cancellationToken);
        await _stream.WriteAsync(value, cancellationToken);
        await _stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        return await ReadLineAsync(cancellationToken) == "STORED";
    }

    /// <summary><c>get key</c>: the value and its flags, or null.</summary>
    public async Task<(byte[] Value, uint Flags)?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"get {key}\r\n"), cancellationToken);
        var header = await ReadLineAsync(cancellationToken);
        if (header == "END")
        {
            return null;
        }

        var parts = header.Split(' ');
        var value = new byte[int.Parse(parts[3], CultureInfo.InvariantCulture)];
        await _stream.ReadExactlyAsync(value, cancellationToken);
        await ReadLineAsync(cancellationToken);
        await ReadLineAsync(cancellationToken);
        return (value, uint.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            await _stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == '\n')
            {
                return Encoding.Latin1.GetString([.. line]).TrimEnd('\r');
            }

            line.Add(one[0]);
        }
    }
}
