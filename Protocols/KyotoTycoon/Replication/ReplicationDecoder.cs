using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Decodes what a master sends a slave: first the one-byte answer to the handshake, then no-ops and log records.
/// A record's message is handed out as a slice of the buffer, not copied.
/// </summary>
/// <param name="maxMessage">Largest log message accepted.</param>
internal sealed class ReplicationDecoder(long maxMessage) : IFrameDecoder<ReplicationFrame>
{
    private bool _answered;

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, [MaybeNullWhen(false)] out ReplicationFrame frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var magic))
        {
            return false;
        }

        if (!_answered)
        {
            _answered = true;
            frame = new ReplicationFrame(magic == ReplicationCodec.Record ? ReplicationFrameKind.Accepted : ReplicationFrameKind.Refused, 0, default);
        }
        else if (!TryReadEntry(ref reader, magic, out frame))
        {
            return false;
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private bool TryReadEntry(ref SequenceReader<byte> reader, byte magic, out ReplicationFrame frame)
    {
        frame = default;
        if (magic is not (ReplicationCodec.NoOp or ReplicationCodec.Record))
        {
            throw new ProtocolErrorException($"Byte 0x{magic:X2} in a replication stream.");
        }

        if (!reader.TryReadBigEndian(out long timestamp))
        {
            return false;
        }

        if (magic == ReplicationCodec.NoOp)
        {
            frame = new ReplicationFrame(ReplicationFrameKind.NoOp, (ulong)timestamp, default);
            return true;
        }

        if (!reader.TryReadBigEndian(out int size))
        {
            return false;
        }

        if ((uint)size > maxMessage)
        {
            // The slave's limit is ktserver's own (a key and a value of at most BinaryProtocol.MaxFieldBytes each).
            throw FrameTooLargeException.Exceeds(
                $"A Kyoto Tycoon replication record of {(uint)size} bytes", "the replication record limit", FrameTooLargeException.Bytes(maxMessage),
                "it is twice BinaryProtocol.MaxFieldBytes, ktserver's own largest key plus largest value, and cannot be raised");
        }

        if (reader.Remaining < (uint)size)
        {
            return false;
        }

        frame = new ReplicationFrame(ReplicationFrameKind.Record, (ulong)timestamp, reader.UnreadSequence.Slice(0, (uint)size));
        reader.Advance((uint)size);
        return true;
    }
}
