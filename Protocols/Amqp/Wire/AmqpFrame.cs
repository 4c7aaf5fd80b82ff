using System.Buffers;

namespace ReactiveKv.Amqp;

/// <summary>
/// One decoded frame. <see cref="Payload"/> is a slice of the receive buffer, not a copy: it is valid only until
/// the buffer is consumed, so a handler decodes (or copies) it before returning.
/// </summary>
public readonly struct AmqpFrame
{
    /// <summary>Creates a frame view.</summary>
    public AmqpFrame(AmqpFrameType type, ushort channel, ReadOnlySequence<byte> payload)
    {
        Type = type;
        Channel = channel;
        Payload = payload;
    }

    /// <summary>What the payload holds.</summary>
    public AmqpFrameType Type { get; }

    /// <summary>The channel the frame belongs to (0 for the connection itself).</summary>
    public ushort Channel { get; }

    /// <summary>The bytes between the 7-byte frame header and the frame-end octet.</summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Type} frame on channel {Channel} ({Payload.Length} bytes)";
}
