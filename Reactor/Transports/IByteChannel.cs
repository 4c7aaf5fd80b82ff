using System.Buffers;

namespace ReactiveKv;

/// <summary>The raw duplex byte stream under a transport, read by pulling: a socket, or TLS over a socket.</summary>
internal interface IByteChannel : IConnectionChannel
{
    ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    ValueTask SendAsync(ReadOnlySequence<byte> data);
}
