using System.Buffers;
using System.IO.Pipelines;

namespace ReactiveKv;

/// <summary>The default <see cref="TransportOutput"/>: a pipe whose reader the transport drains after each commit.</summary>
internal sealed class PipeOutput : TransportOutput
{
    private readonly Pipe _pipe = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        useSynchronizationContext: false));

    /// <summary>What was committed and is waiting to be sent.</summary>
    public PipeReader Reader => _pipe.Reader;

    public override void Advance(int count) => _pipe.Writer.Advance(count);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pipe.Writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pipe.Writer.GetSpan(sizeHint);

    public override void Write(ReadOnlySpan<byte> data) => _pipe.Writer.Write(data);

    // Never pauses: the pipe has no writer threshold; the flush only makes the bytes visible to the reader.
    public override void Commit() => _ = _pipe.Writer.FlushAsync();

    public override void Complete() => _pipe.Writer.Complete();
}
