using System.Buffers;
using DotNetty.Buffers;

namespace ReactiveKv.DotNetty;

/// <summary>
/// One received <see cref="IByteBuffer"/> as a link of the <see cref="ReadOnlySequence{T}"/> a protocol reads: its memory
/// is the buffer's own (no copy), and the buffer goes back to its pool once the protocol has consumed all of it.
/// </summary>
internal sealed class ByteBufferSegment : ReadOnlySequenceSegment<byte>
{
    public ByteBufferSegment(IByteBuffer buffer, ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Buffer = buffer;
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public IByteBuffer Buffer { get; }

    public void Link(ByteBufferSegment next) => Next = next;

    /// <summary>Makes the memory of <paramref name="buffer"/>'s readable bytes a segment: its own array when it has one, a copy only for a buffer made of several pieces.</summary>
    public static ByteBufferSegment Wrap(IByteBuffer buffer, long runningIndex)
    {
        var length = buffer.ReadableBytes;
        if (buffer.IoBufferCount == 1)
        {
            var io = buffer.GetIoBuffer(buffer.ReaderIndex, length);
            return new ByteBufferSegment(buffer, io, runningIndex);
        }

        // A composite (TLS may hand one on): its pieces are gathered once; still released when consumed.
        var copy = new byte[length];
        buffer.GetBytes(buffer.ReaderIndex, copy);
        return new ByteBufferSegment(buffer, copy, runningIndex);
    }
}
