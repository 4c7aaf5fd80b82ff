using System.Buffers;

namespace ReactiveKv.Pegasus;

/// <summary>
/// Cuts one THFT frame off the front of the receive buffer, as a slice of it: no copy, valid only until the buffer
/// is consumed. Requests (server side) carry a v0 or v1 header; responses (client side) a length that counts itself.
/// </summary>
internal sealed class ThftFrameDecoder : IFrameDecoder<ReadOnlySequence<byte>>
{
    private readonly bool _requests;
    private readonly long _maxFrameBytes;

    private ThftFrameDecoder(bool requests, long maxFrameBytes)
    {
        _requests = requests;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>A decoder of requests, as the server reads them.</summary>
    public static ThftFrameDecoder Requests(long maxFrameBytes) => new(true, maxFrameBytes);

    /// <summary>A decoder of responses, as the client reads them.</summary>
    public static ThftFrameDecoder Responses(long maxFrameBytes) => new(false, maxFrameBytes);

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        var length = _requests ? ThftFrames.RequestLength(buffer, _maxFrameBytes) : ThftFrames.ResponseLength(buffer, _maxFrameBytes);
        if (length == 0)
        {
            frame = default;
            return false;
        }

        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(length);
        return true;
    }
}
