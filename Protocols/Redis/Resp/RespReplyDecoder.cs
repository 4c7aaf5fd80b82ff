using System.Buffers;

namespace ReactiveKv.Redis;

/// <summary>
/// Cuts one RESP2/RESP3 reply off the front of the receive buffer. The reply is a view into the buffer, so nothing is
/// copied; it is valid only until the buffer is consumed.
/// </summary>
internal sealed class RespReplyDecoder(RespLimits limits) : IFrameDecoder<RawReply>
{
    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out RawReply frame)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!RespReader.TryRead(ref reader, limits, out frame))
        {
            return false;
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }
}
