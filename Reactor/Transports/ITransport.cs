using System.Buffers;
using System.Net;

namespace ReactiveKv;

/// <summary>
/// A connection's outgoing side, as a protocol sees it (Twisted's <c>ITransport</c>). Writes never block: bytes are
/// buffered and flushed at the end of the loop turn, many writes in one system call. Call from the loop thread.
/// </summary>
public interface ITransport
{
    /// <summary>Queues <paramref name="data"/> for sending; the bytes are copied, so the caller may reuse its buffer.</summary>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Queues several buffers for sending, in order.</summary>
    void WriteSequence(in ReadOnlySequence<byte> data);

    /// <summary>
    /// Direct access to the send buffer, for encoders that write in place (no intermediate copy). Bytes committed
    /// with <see cref="IBufferWriter{T}.Advance"/> are sent like <see cref="Write"/>'s.
    /// </summary>
    IBufferWriter<byte> Output { get; }

    /// <summary>Closes the connection once everything written so far has been sent.</summary>
    void LoseConnection();

    /// <summary>Closes the connection now, dropping unsent data.</summary>
    void AbortConnection();

    /// <summary>True once <see cref="LoseConnection"/> or <see cref="AbortConnection"/> was called, or the peer went away.</summary>
    bool Disconnecting { get; }

    /// <summary>The remote address.</summary>
    EndPoint Peer { get; }

    /// <summary>The local address.</summary>
    EndPoint Host { get; }

    /// <summary>The loop this connection is bound to; every callback of its protocol runs there.</summary>
    EventLoop Loop { get; }
}
