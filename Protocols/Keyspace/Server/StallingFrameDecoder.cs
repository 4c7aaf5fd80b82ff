using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>
/// The Wire frame decoder as the server uses it, plus the one reaction §2 records: a frame whose first byte is not
/// a digit makes the server wait forever for "more data" (no reply, no close), so it is reported as
/// <see cref="Stalled"/> instead of failing the connection. Every other error still throws.
/// </summary>
internal sealed class StallingFrameDecoder : IFrameDecoder<ReadOnlySequence<byte>>
{
    private readonly KeyspaceFrameDecoder _frames = new();

    /// <summary>True once a frame started with a non-digit; nothing more is decoded.</summary>
    public bool Stalled { get; private set; }

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (Stalled || buffer.IsEmpty)
        {
            return false;
        }

        if (buffer.FirstSpan[0] is < (byte)'0' or > (byte)'9')
        {
            Stalled = true;
            return false;
        }

        return _frames.TryDecode(ref buffer, out frame);
    }
}
