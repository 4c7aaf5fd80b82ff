using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Cuts one <c>&lt;length&gt;:&lt;body&gt;</c> frame (spec §2) off the front of the buffer and returns its body as a
/// slice of it (no copy; valid until the buffer is consumed). Both directions use it: the client for replies, the
/// embedded server for requests.
/// </summary>
internal sealed class KeyspaceFrameDecoder : IFrameDecoder<ReadOnlySequence<byte>>
{
    // The length may carry leading zeros (§2), so digits are bounded by count rather than by value alone; 20 digits
    // hold any length a peer could mean without letting a stream of zeros grow the buffer forever.
    private const int MaxLengthDigits = 20;

    private readonly long _maxBodyBytes;

    /// <summary>Creates a decoder that refuses bodies above <paramref name="maxBodyBytes"/> (the server's limit by default).</summary>
    public KeyspaceFrameDecoder(long maxBodyBytes = KeyspaceLimits.MaxFrameBodyBytes) => _maxBodyBytes = maxBodyBytes;

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        var digits = 0;
        while (reader.TryRead(out var b))
        {
            if (b == (byte)':' && digits > 0)
            {
                return TakeBody(ref buffer, ref reader, length, out frame);
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new ProtocolErrorException(digits == 0
                    ? $"A Keyspace frame must start with a decimal length, not byte 0x{b:X2}."
                    : $"A Keyspace frame length holds byte 0x{b:X2}; only digits and then ':' may follow.");
            }

            length = (length * 10) + (b - '0');
            if (length > _maxBodyBytes || ++digits > MaxLengthDigits)
            {
                // The limit is the protocol's own (spec §2 caps keys and values), so there is no option to raise.
                throw FrameTooLargeException.Exceeds(
                    $"A Keyspace frame announcing at least {length} bytes of body (its digits are read only until they pass the limit)", "KeyspaceLimits.MaxFrameBodyBytes", FrameTooLargeException.Bytes(_maxBodyBytes),
                    "it is the Keyspace protocol's fixed limit (largest key plus largest value) and cannot be raised");
            }
        }

        return false;
    }

    private static bool TakeBody(ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, long length, out ReadOnlySequence<byte> frame)
    {
        if (reader.Remaining < length)
        {
            frame = default;
            return false;
        }

        frame = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }
}
