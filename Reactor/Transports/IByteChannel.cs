using System.Buffers;
using System.Net;

namespace ReactiveKv;

/// <summary>The raw duplex byte stream under a transport: a socket, or TLS over a socket.</summary>
internal interface IByteChannel : IDisposable
{
    EndPoint LocalEndPoint { get; }

    EndPoint RemoteEndPoint { get; }

    bool NoDelay { get; set; }

    bool KeepAlive { get; set; }

    ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    ValueTask SendAsync(ReadOnlySequence<byte> data);

    /// <summary>Closes at once, resetting the connection and dropping unsent data.</summary>
    void Abort();
}
