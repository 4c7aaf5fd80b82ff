using System.Buffers;

namespace ReactiveKv;

/// <summary>A protocol that runs every complete frame its decoder finds through <see cref="FrameReceived"/>.</summary>
/// <typeparam name="TFrame">What a decoded frame is.</typeparam>
public abstract class FramedProtocol<TFrame> : Protocol
{
    private readonly IFrameDecoder<TFrame> _decoder;

    /// <summary>Creates the protocol over <paramref name="decoder"/>.</summary>
    protected FramedProtocol(IFrameDecoder<TFrame> decoder) => _decoder = decoder;

    /// <summary>
    /// True while the protocol wants no more frames (say, a request is parked until something happens); the bytes
    /// wait in the transport's buffer and are offered again on the next delivery.
    /// </summary>
    protected virtual bool Suspended => false;

    /// <inheritdoc />
    public sealed override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var buffer = data;
        try
        {
            while (Connected && !Transport.Disconnecting && !Suspended && _decoder.TryDecode(ref buffer, out var frame))
            {
                FrameReceived(frame);
            }
        }
        catch (ProtocolErrorException error)
        {
            if (!FrameError(error))
            {
                throw;
            }

            // Nothing after a bad frame can be trusted: the rest of the input is dropped.
            return data.End;
        }

        return buffer.Start;
    }

    /// <summary>A complete frame arrived. A frame that points into the input is only valid during the call.</summary>
    protected abstract void FrameReceived(TFrame frame);

    /// <summary>
    /// The decoder (or <see cref="FrameReceived"/>) rejected the input. Return true once handled, typically by closing
    /// the connection; the default returns false and the exception reaches the transport, which fails the connection.
    /// </summary>
    protected virtual bool FrameError(ProtocolErrorException error) => false;
}
