using System.Buffers;

namespace ReactiveKv;

/// <summary>A protocol that runs every complete frame its decoder finds through <see cref="FrameReceived"/>.</summary>
/// <typeparam name="TFrame">What a decoded frame is.</typeparam>
public abstract class FramedProtocol<TFrame> : Protocol
{
    private readonly IFrameDecoder<TFrame> _decoder;

    /// <summary>Creates the protocol over <paramref name="decoder"/>.</summary>
    protected FramedProtocol(IFrameDecoder<TFrame> decoder) => _decoder = decoder;

    /// <inheritdoc />
    public sealed override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var buffer = data;
        while (Connected && !Transport.Disconnecting && _decoder.TryDecode(ref buffer, out var frame))
        {
            FrameReceived(frame);
        }

        return buffer.Start;
    }

    /// <summary>A complete frame arrived.</summary>
    protected abstract void FrameReceived(TFrame frame);
}
