using System.Buffers;
using System.Text;
using DotNetty.Buffers;
using ReactiveKv.DotNetty;

namespace ReactiveKv.Tests.Reactors;

/// <summary>
/// The DotNetty transport's output: writes land in pooled buffers in order, received bytes written back are retained
/// slices of their buffers (no copy), and every buffer is released once sent or dropped.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ByteBufferOutputTests
{
    // No thread caches: a freed buffer goes back to its arena at once, so the arena's live count says what leaked.
    private readonly PooledByteBufferAllocator _allocator = new(true, 1, 1, 8192, 11, 0, 0, 0);

    [Fact]
    public void CopiedWrites_EncoderWrites_AndSharedReceivedBytes_GoOutInTheOrderWritten()
    {
        var output = new ByteBufferOutput(_allocator);
        var (received, segments) = Received("..hello ", "world..");
        output.Write("<"u8);
        var span = output.GetSpan(3);
        "abc"u8.CopyTo(span);
        output.Advance(3);
        Assert.True(output.TryWriteShared(received.Slice(2, 11)));
        output.Write(">"u8);

        var sent = TakeAll(output);
        Assert.Equal(16, sent.Sum(b => b.ReadableBytes));
        Assert.Equal("<abchello world>", Text(sent));
        Assert.Equal(["<abc", "hello ", "world", ">"], sent.Select(b => Text([b])));

        // The shared bytes are the received buffers' own memory, held by a reference of their own.
        Assert.Equal(Where(segments[0].Buffer, segments[0].Offset + 2), Where(sent[1], sent[1].ReaderIndex));
        Assert.Equal(Where(segments[1].Buffer, segments[1].Offset), Where(sent[2], sent[2].ReaderIndex));
        Assert.All(segments, s => Assert.Equal(2, s.Buffer.ReferenceCount));
        Release(sent);
        Release(segments);
        Assert.Equal(0, Active());
    }

    [Fact]
    public void BytesThatAreNotReceivedBuffers_AreNotShared()
    {
        var output = new ByteBufferOutput(_allocator);
        Assert.False(output.TryWriteShared(new ReadOnlySequence<byte>("plain"u8.ToArray())));

        // A segment whose buffer was already released is not taken either.
        var (received, segments) = Received("gone");
        Release(segments);
        Assert.False(output.TryWriteShared(received));
        Assert.Empty(TakeAll(output));
        Assert.Equal(0, Active());
    }

    [Fact]
    public void ALargeWrite_IsCutIntoPooledBuffers_AndGetMemoryGivesAtLeastTheHint()
    {
        var output = new ByteBufferOutput(_allocator);
        var data = new byte[(3 << 20) + 5];
        new Random(7).NextBytes(data);
        output.Write(data);
        Assert.True(output.GetMemory(100_000).Length >= 100_000);
        output.Advance(0);

        var sent = TakeAll(output);
        Assert.Equal(data.Length, sent.Sum(b => b.ReadableBytes));
        Assert.True(sent.Count >= 4, $"{sent.Count} buffers");
        Assert.All(sent, b => Assert.True(b.ReadableBytes <= 1 << 20));
        Assert.Equal(data, sent.SelectMany(b => { var copy = new byte[b.ReadableBytes]; b.GetBytes(b.ReaderIndex, copy); return copy; }).ToArray());
        Release(sent);
        Assert.Equal(0, Active());
    }

    [Fact]
    public void Release_ReturnsWhatWasNeverHandedOver()
    {
        var output = new ByteBufferOutput(_allocator);
        var (received, segments) = Received("abc", "def");
        output.Write("x"u8);
        Assert.True(output.TryWriteShared(received));
        output.GetSpan(10);
        output.Release();
        Release(segments);
        Assert.Equal(0, Active());
    }

    // Buffers as DotNetty delivers them, chained as the transport chains them for a protocol.
    private (ReadOnlySequence<byte> Sequence, ByteBufferSegment[] Segments) Received(params string[] pieces)
    {
        var segments = new ByteBufferSegment[pieces.Length];
        long running = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            var buffer = _allocator.HeapBuffer(64);
            buffer.WriteBytes(new byte[3]); // read before: the segment starts past the buffer's first bytes
            buffer.SkipBytes(3);
            buffer.WriteBytes(Encoding.ASCII.GetBytes(pieces[i]));
            segments[i] = ByteBufferSegment.Wrap(buffer, running);
            running += pieces[i].Length;
            if (i > 0)
            {
                segments[i - 1].Link(segments[i]);
            }
        }

        var last = segments[^1];
        return (new ReadOnlySequence<byte>(segments[0], 0, last, last.Memory.Length), segments);
    }

    // Pooled buffers share their chunk's array: a byte is identified by the array and its offset in it.
    private static (byte[] Array, int Offset) Where(IByteBuffer buffer, int index) => (buffer.Array, buffer.ArrayOffset + index);

    private static List<IByteBuffer> TakeAll(ByteBufferOutput output)
    {
        var taken = new List<IByteBuffer>();
        while (output.TryTake(out var buffer))
        {
            taken.Add(buffer);
        }

        return taken;
    }

    private static string Text(IEnumerable<IByteBuffer> buffers) =>
        string.Concat(buffers.Select(b => b.ToString(b.ReaderIndex, b.ReadableBytes, Encoding.ASCII)));

    private static void Release(IEnumerable<IByteBuffer> buffers)
    {
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }
    }

    private static void Release(IEnumerable<ByteBufferSegment> segments) => Release(segments.Select(s => s.Buffer));

    private long Active() => _allocator.Metric.HeapArenas().Sum(a => a.NumActiveAllocations);
}
