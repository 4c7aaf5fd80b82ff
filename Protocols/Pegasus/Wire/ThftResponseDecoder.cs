using System.Buffers;

namespace ReactiveKv.Pegasus;

/// <summary>
/// Cuts one THFT response (length prefix included) off the front of the receive buffer, as a slice of it: no copy,
/// valid only until the buffer is consumed.
/// </summary>
internal sealed class ThftResponseDecoder(long maxFrameBytes) : IFrameDecoder<ReadOnlySequence<byte>>
{
    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        var length = ThftFrames.ResponseLength(buffer, maxFrameBytes);
        return ThftFrames.TryCut(ref buffer, length, out frame);
    }
}
