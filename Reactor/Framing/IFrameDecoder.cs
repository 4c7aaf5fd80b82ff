using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveKv;

/// <summary>Cuts one frame off the front of a buffer; the codec half of a <see cref="FramedProtocol{TFrame}"/>.</summary>
/// <typeparam name="TFrame">What a decoded frame is.</typeparam>
public interface IFrameDecoder<TFrame>
{
    /// <summary>
    /// Decodes one frame from the start of <paramref name="buffer"/> and slices it off. Returns false, leaving the
    /// buffer as it was, when the frame is not complete yet. Throws <see cref="ProtocolErrorException"/> on bytes
    /// that can never become a valid frame. A decoded frame must not point into the buffer after the call returns
    /// unless the caller consumes it at once. Limits (largest frame, field or line) are the decoder's own, given when it
    /// is made; going over one throws <see cref="FrameTooLargeException"/>.
    /// </summary>
    bool TryDecode(ref ReadOnlySequence<byte> buffer, [MaybeNullWhen(false)] out TFrame frame);
}
