using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using DotNetty.Buffers;

namespace ReactiveKv.DotNetty;

/// <summary>
/// A DotNetty transport's writes, held as the pooled buffers that go to the channel: encoders write straight into
/// them, and bytes the connection received (<see cref="ByteBufferSegment"/>s) are taken as retained slices of their
/// buffers, with no copy, as a DotNetty handler echoes or forwards what it read. Loop thread only.
/// </summary>
internal sealed class ByteBufferOutput(IByteBufferAllocator allocator) : TransportOutput
{
    // Large enough for a turn's small writes to share one buffer, small enough to stay in the pool's subpages.
    private const int MinimumBuffer = 2048;

    // Bytes copied at once by Write: a large write becomes several pooled buffers, not one huge unpooled one.
    private const int MaximumCopy = 1 << 20;

    private readonly Queue<IByteBuffer> _sealed = new();
    private IByteBuffer? _current;
    private bool _completed;

    public override void Advance(int count)
    {
        var current = _current ?? throw new InvalidOperationException("Advance without GetMemory or GetSpan.");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, current.WritableBytes);
        current.SetWriterIndex(current.WriterIndex + count);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        var buffer = Reserve(sizeHint);
        return buffer.Array.AsMemory(buffer.ArrayOffset + buffer.WriterIndex, buffer.WritableBytes);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        var buffer = Reserve(sizeHint);
        return buffer.Array.AsSpan(buffer.ArrayOffset + buffer.WriterIndex, buffer.WritableBytes);
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var target = GetSpan(Math.Min(data.Length, MaximumCopy));
            var count = Math.Min(target.Length, data.Length);
            data[..count].CopyTo(target);
            Advance(count);
            data = data[count..];
        }
    }

    public override bool SharesReceivedBytes => true;

    public override bool TryWriteShared(in ReadOnlySequence<byte> data)
    {
        if (!AllReceivedBuffers(data))
        {
            return false;
        }

        Seal();
        var end = data.End;
        var endSegment = end.GetObject();
        var position = data.Start;
        while (true)
        {
            var segment = (ByteBufferSegment)position.GetObject()!;
            var from = position.GetInteger();
            var last = ReferenceEquals(segment, endSegment);
            var to = last ? end.GetInteger() : segment.Memory.Length;
            if (to > from)
            {
                _sealed.Enqueue(segment.Buffer.RetainedSlice(segment.Offset + from, to - from));
            }

            if (last)
            {
                return true;
            }

            position = new SequencePosition(segment.Next, 0);
        }
    }

    // Committed bytes are in the buffers already; the transport takes them with TryTake.
    public override void Commit()
    {
    }

    public override void Complete() => _completed = true;

    /// <summary>Hands over the oldest buffer, ending the one being written first when nothing older is left.</summary>
    public bool TryTake([NotNullWhen(true)] out IByteBuffer? buffer)
    {
        if (_sealed.Count == 0)
        {
            Seal();
        }

        return _sealed.TryDequeue(out buffer);
    }

    /// <summary>The connection is gone: whatever was not handed over goes back to the pool.</summary>
    public void Release()
    {
        _current?.Release();
        _current = null;
        while (_sealed.TryDequeue(out var buffer))
        {
            buffer.Release();
        }
    }

    // A shared write may only take buffers that are still alive: those of the sequence the protocol is being offered.
    private static bool AllReceivedBuffers(in ReadOnlySequence<byte> data)
    {
        var endSegment = data.End.GetObject();
        for (var segment = data.Start.GetObject() as ReadOnlySequenceSegment<byte>; segment is not null; segment = segment.Next)
        {
            if (segment is not ByteBufferSegment { Buffer.ReferenceCount: > 0 })
            {
                return false;
            }

            if (ReferenceEquals(segment, endSegment))
            {
                return true;
            }
        }

        return false;
    }

    private IByteBuffer Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var needed = Math.Max(sizeHint, 1);
        if (_current is { } current && current.WritableBytes >= needed)
        {
            return current;
        }

        Seal();

        // Heap buffers: their array is what encoders write into.
        return _current = allocator.HeapBuffer(Math.Max(needed, MinimumBuffer));
    }

    // The buffer being written is done: it goes after what was sealed before it, or back to the pool if empty.
    private void Seal()
    {
        if (_current is not { } current)
        {
            return;
        }

        _current = null;
        if (current.IsReadable())
        {
            _sealed.Enqueue(current);
        }
        else
        {
            current.Release();
        }
    }
}
