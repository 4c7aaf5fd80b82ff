using System.Buffers;

namespace ReactiveKv.Pegasus;

/// <summary>
/// Cuts one THFT request (v0 or v1 header, then its body) off the front of the receive buffer, as a slice of it: no
/// copy, valid only until the buffer is consumed.
/// </summary>
internal sealed class ThftRequestDecoder(long maxFrameBytes) : IFrameDecoder<ReadOnlySequence<byte>>
{
    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        var length = ThftFrames.RequestLength(buffer, maxFrameBytes);
        return ThftFrames.TryCut(ref buffer, length, out frame);
    }
}
