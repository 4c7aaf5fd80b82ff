using System.Buffers;

namespace ReactiveKv;

/// <summary>
/// Where a transport's writes wait for the end-of-turn flush. The default (<see cref="PipeOutput"/>) is a pipe its
/// transport drains; a transport whose sends take buffers of their own (DotNetty's pooled ones) writes into those
/// directly instead, so a write is copied once, into what goes to the socket.
/// </summary>
internal abstract class TransportOutput : IBufferWriter<byte>
{
    public abstract void Advance(int count);

    public abstract Memory<byte> GetMemory(int sizeHint = 0);

    public abstract Span<byte> GetSpan(int sizeHint = 0);

    /// <summary>Copies <paramref name="data"/> in.</summary>
    public abstract void Write(ReadOnlySpan<byte> data);

    /// <summary>True when <see cref="TryWriteShared"/> may take anything: the transport asks only then.</summary>
    public virtual bool SharesReceivedBytes => false;

    /// <summary>
    /// Takes <paramref name="data"/> without copying it, when it is made of buffers this output can hold a reference
    /// to (bytes its transport received, echoed or forwarded from inside <c>DataReceived</c>); false when it is not,
    /// and the caller copies it.
    /// </summary>
    public virtual bool TryWriteShared(in ReadOnlySequence<byte> data) => false;

    /// <summary>The end of a turn: what was written becomes visible to the sending side.</summary>
    public abstract void Commit();

    /// <summary>Nothing more will be written; what was committed may still be sent.</summary>
    public abstract void Complete();
}
