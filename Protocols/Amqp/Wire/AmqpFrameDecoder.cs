using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv.Amqp;

/// <summary>
/// Cuts one frame off the front of the receive buffer (spec §4.2.3), its payload a slice of the buffer. The size a
/// frame announces is checked against <see cref="MaxFrameSize"/> as soon as the 7-byte header is in, so a peer
/// cannot make the connection buffer more than it agreed to. A server's protocol header in place of a frame (its
/// answer to a version it does not speak) is recognised and reported as <see cref="AmqpVersionMismatchException"/>.
/// </summary>
public sealed class AmqpFrameDecoder : IFrameDecoder<AmqpFrame>
{
    private const int ProtocolHeaderSize = 8;

    private uint _maxFrameSize;

    /// <summary>Creates a decoder that accepts frames up to <paramref name="maxFrameSize"/> bytes, header and frame-end included.</summary>
    public AmqpFrameDecoder(uint maxFrameSize = AmqpConstants.FrameMinSize) => MaxFrameSize = maxFrameSize;

    /// <summary>
    /// The largest whole frame accepted: <see cref="AmqpConstants.FrameMinSize"/> until connection.tune, the
    /// negotiated frame_max after. Zero ("no limit" in the spec) is refused: a decoder always keeps a bound.
    /// </summary>
    public uint MaxFrameSize
    {
        get => _maxFrameSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, (uint)AmqpConstants.FrameOverhead);
            _maxFrameSize = value;
        }
    }

    /// <summary>
    /// How a too-large error names the limit and how to raise it; null names the negotiated frame_max. The client
    /// sets it when frame_max was negotiated as 0 ("no limit") and its MaxBodySize bounds frames instead.
    /// </summary>
    internal (string Limit, string Raise)? LimitWording { get; set; }

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out AmqpFrame frame)
    {
        frame = default;
        if (buffer.IsEmpty)
        {
            return false;
        }

        // A pipe's buffer may start with an empty segment, so the head is copied rather than read from FirstSpan.
        Span<byte> head = stackalloc byte[ProtocolHeaderSize];
        head = head[..(int)Math.Min(buffer.Length, ProtocolHeaderSize)];
        buffer.Slice(0, head.Length).CopyTo(head);
        var type = CheckType(head);
        if (type is null || head.Length < AmqpConstants.FrameHeaderSize)
        {
            return false;
        }

        var channel = BinaryPrimitives.ReadUInt16BigEndian(head[1..]);
        var size = BinaryPrimitives.ReadUInt32BigEndian(head[3..]);
        if (size > _maxFrameSize - AmqpConstants.FrameOverhead)
        {
            throw FrameTooLargeException.Exceeds(
                $"An AMQP {type} frame that announces {size} bytes of payload", LimitWording?.Limit ?? "the negotiated frame_max",
                $"{_maxFrameSize} bytes, so {_maxFrameSize - AmqpConstants.FrameOverhead} bytes of payload",
                LimitWording?.Raise ?? "frame_max is the lower of AmqpOptions.FrameMax and the broker's offer (4096 before connection.tune); raise AmqpOptions.FrameMax and the broker's frame_max to accept it");
        }

        var total = AmqpConstants.FrameOverhead + (long)size;
        if (buffer.Length < total)
        {
            return false;
        }

        Span<byte> end = stackalloc byte[1];
        buffer.Slice(total - 1, 1).CopyTo(end);
        if (end[0] != AmqpConstants.FrameEnd)
        {
            throw new AmqpFrameException($"An AMQP {type} frame of {size} bytes ends with 0x{end[0]:X2}, not the frame-end octet 0xCE.");
        }

        frame = new AmqpFrame(type.Value, channel, buffer.Slice(AmqpConstants.FrameHeaderSize, size));
        buffer = buffer.Slice(total);
        return true;
    }

    // Returns null when the head could begin a protocol header that is not complete yet.
    private static AmqpFrameType? CheckType(ReadOnlySpan<byte> head)
    {
        var first = head[0];
        switch ((AmqpFrameType)first)
        {
            case AmqpFrameType.Method or AmqpFrameType.Header or AmqpFrameType.Body or AmqpFrameType.Heartbeat:
                return (AmqpFrameType)first;
            case (AmqpFrameType)'A':
                return CheckProtocolHeader(head);
            default:
                throw new AmqpFrameException($"Unknown AMQP frame type 0x{first:X2}.");
        }
    }

    private static AmqpFrameType? CheckProtocolHeader(ReadOnlySpan<byte> head)
    {
        var prefix = Math.Min(head.Length, 4);
        if (!"AMQP"u8[..prefix].SequenceEqual(head[..prefix]))
        {
            throw new AmqpFrameException("Unknown AMQP frame type 0x41 ('A' not followed by \"MQP\").");
        }

        if (head.Length < ProtocolHeaderSize)
        {
            return null;
        }

        throw new AmqpVersionMismatchException(head[4], head[5], head[6], head[7]);
    }
}
