using System.Buffers;
using DotNetty.Buffers;

namespace ReactiveKv.DotNetty;

/// <summary>
/// One received <see cref="IByteBuffer"/> as a link of the <see cref="ReadOnlySequence{T}"/> a protocol reads: its memory
/// is the buffer's own (no copy), and the buffer goes back to its pool once the protocol has consumed all of it.
/// </summary>
internal sealed class ByteBufferSegment : ReadOnlySequenceSegment<byte>
{
    private ByteBufferSegment(IByteBuffer buffer, ReadOnlyMemory<byte> memory, long runningIndex) => Set(buffer, memory, runningIndex);

    public IByteBuffer Buffer { get; private set; } = null!;

    /// <summary>The index in <see cref="Buffer"/> of the segment's first byte.</summary>
    public int Offset { get; private set; }

    /// <summary>A segment no longer in a sequence, kept by its transport for the next buffer (see <see cref="Wrap"/>).</summary>
    public ByteBufferSegment? NextFree { get; set; }

    public void Link(ByteBufferSegment next) => Next = next;

    /// <summary>
    /// Makes the memory of <paramref name="buffer"/>'s readable bytes a segment (<paramref name="reuse"/> when given, as
    /// each read would otherwise allocate one): its own array when it has one, a copy only for a buffer made of
    /// several pieces.
    /// </summary>
    public static ByteBufferSegment Wrap(IByteBuffer buffer, long runningIndex, ByteBufferSegment? reuse = null)
    {
        var length = buffer.ReadableBytes;
        ReadOnlyMemory<byte> memory;
        if (buffer.IoBufferCount == 1)
        {
            memory = buffer.GetIoBuffer(buffer.ReaderIndex, length);
        }
        else
        {
            // A composite: its pieces are gathered once; still released when consumed.
            var copy = new byte[length];
            buffer.GetBytes(buffer.ReaderIndex, copy);
            memory = copy;
        }

        if (reuse is null)
        {
            return new ByteBufferSegment(buffer, memory, runningIndex);
        }

        reuse.Set(buffer, memory, runningIndex);
        return reuse;
    }

    private void Set(IByteBuffer buffer, ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Buffer = buffer;
        Offset = buffer.ReaderIndex;
        Memory = memory;
        RunningIndex = runningIndex;
        Next = null;
        NextFree = null;
    }
}
