using System.Buffers;

namespace ReactiveKv.Tests.Framing;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> with one segment per array, as a pipe hands buffers out.</summary>
public static class SegmentedSequence
{
    /// <summary>The arrays, in order, as one sequence (empty arrays make empty segments).</summary>
    public static ReadOnlySequence<byte> Of(params IReadOnlyList<byte[]> parts)
    {
        if (parts.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0], 0);
        var last = first;
        for (var i = 1; i < parts.Count; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
