using System.Buffers;

namespace ReactiveKv.Redis;

/// <summary>
/// Finds one complete RESP2/RESP3 reply at the front of a buffer without copying it. Returns false, with the reader
/// unmoved, when the reply is not complete yet; throws <see cref="ProtocolErrorException"/> on bytes that can never
/// become a reply, or that exceed the limits.
/// </summary>
internal static class RespReader
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    public static bool TryRead(ref SequenceReader<byte> reader, RespLimits limits, out RawReply reply) =>
        TryRead(ref reader, limits, 0, out reply);

    private static bool TryRead(ref SequenceReader<byte> reader, RespLimits limits, int depth, out RawReply reply)
    {
        reply = default;
        var start = reader;
        if (!reader.TryRead(out var marker))
        {
            return false;
        }

        var type = (RespType)marker;
        switch (type)
        {
            case RespType.SimpleString or RespType.Error or RespType.Integer or RespType.Double or RespType.BigNumber or RespType.Boolean or RespType.Null:
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    reader = start;
                    return false;
                }

                reply = new RawReply(type, line, 0);
                Validate(reply);
                return true;

            case RespType.BulkString or RespType.BlobError or RespType.VerbatimString:
                return TryReadBulk(ref reader, limits, type, start, out reply);

            case RespType.Array or RespType.Set or RespType.Push or RespType.Map:
                return TryReadAggregate(ref reader, limits, depth, type, start, out reply);

            case (RespType)'|':
                // A RESP3 attribute annotates the reply after it; nothing here uses attributes, so skip it.
                if (!TryReadAggregate(ref reader, limits, depth, RespType.Map, start, out _))
                {
                    reader = start;
                    return false;
                }

                if (!TryRead(ref reader, limits, depth, out reply))
                {
                    reader = start;
                    return false;
                }

                return true;

            default:
                throw new ProtocolErrorException($"Malformed Redis reply: unexpected type byte 0x{marker:X2}.");
        }
    }

    private static bool TryReadBulk(ref SequenceReader<byte> reader, RespLimits limits, RespType type, SequenceReader<byte> start, out RawReply reply)
    {
        reply = default;
        if (!TryReadLength(ref reader, limits, out var length))
        {
            reader = start;
            return false;
        }

        if (length < 0)
        {
            reply = new RawReply(type, ReadOnlySequence<byte>.Empty, -1);
            return true;
        }

        if (length > limits.MaxBulkLength)
        {
            throw FrameTooLargeException.Exceeds(
                $"A bulk string of {length} bytes", "RespLimits.MaxBulkLength", FrameTooLargeException.Bytes(limits.MaxBulkLength),
                "raise RedisOptions.Limits.MaxBulkLength to accept it");
        }

        if (reader.Remaining < length + 2)
        {
            reader = start;
            return false;
        }

        var payload = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        if (!reader.IsNext(CrLf, advancePast: true))
        {
            throw new ProtocolErrorException("Malformed Redis reply: a bulk string is not followed by CRLF.");
        }

        reply = new RawReply(type, payload, 0);
        return true;
    }

    private static bool TryReadAggregate(ref SequenceReader<byte> reader, RespLimits limits, int depth, RespType type, SequenceReader<byte> start, out RawReply reply)
    {
        reply = default;
        if (depth >= limits.MaxDepth)
        {
            throw new ProtocolErrorException($"Malformed Redis reply: aggregates nested deeper than RespLimits.MaxDepth ({limits.MaxDepth}); raise RedisOptions.Limits.MaxDepth to accept it.");
        }

        if (!TryReadLength(ref reader, limits, out var count))
        {
            reader = start;
            return false;
        }

        if (count < 0)
        {
            reply = new RawReply(type, ReadOnlySequence<byte>.Empty, -1);
            return true;
        }

        // A map's count is of pairs; comparing before doubling keeps a count near long.MaxValue from overflowing
        // into a negative element count that would pass the check.
        var perEntry = type == RespType.Map ? 2 : 1;
        if (count > limits.MaxAggregateLength / perEntry)
        {
            throw FrameTooLargeException.Exceeds(
                $"A reply aggregate of {count} {(perEntry == 2 ? "pairs" : "elements")}", "RespLimits.MaxAggregateLength",
                $"{limits.MaxAggregateLength} elements", "raise RedisOptions.Limits.MaxAggregateLength to accept it");
        }

        var elements = count * perEntry;

        var childrenStart = reader.Position;
        for (long i = 0; i < elements; i++)
        {
            if (!TryRead(ref reader, limits, depth + 1, out _))
            {
                reader = start;
                return false;
            }
        }

        reply = new RawReply(type, reader.Sequence.Slice(childrenStart, reader.Position), elements);
        return true;
    }

    private static bool TryReadLength(ref SequenceReader<byte> reader, RespLimits limits, out long length)
    {
        length = 0;
        if (!TryReadLine(ref reader, limits, out var line))
        {
            return false;
        }

        if (line.Length == 1 && line.FirstSpan[0] == (byte)'?')
        {
            throw new ProtocolErrorException("Malformed Redis reply: streamed (length '?') replies are not supported.");
        }

        if (!RawReply.TryParse(line, out length) || length < -1)
        {
            throw new ProtocolErrorException($"Malformed Redis reply: bad length '{System.Text.Encoding.ASCII.GetString(line.ToArray())}'.");
        }

        return true;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, RespLimits limits, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, CrLf, advancePastDelimiter: true))
        {
            if (line.Length > limits.MaxLineLength)
            {
                throw FrameTooLargeException.Exceeds(
                    $"A reply line of {line.Length} bytes", "RespLimits.MaxLineLength", FrameTooLargeException.Bytes(limits.MaxLineLength),
                    "raise RedisOptions.Limits.MaxLineLength to accept it");
            }

            return true;
        }

        if (reader.Remaining > limits.MaxLineLength + 2)
        {
            throw FrameTooLargeException.Exceeds(
                "A reply line without its end", "RespLimits.MaxLineLength", FrameTooLargeException.Bytes(limits.MaxLineLength),
                "raise RedisOptions.Limits.MaxLineLength to accept it");
        }

        return false;
    }

    private static void Validate(in RawReply reply)
    {
        switch (reply.Type)
        {
            case RespType.Integer when !reply.TryInteger(out _):
                throw new ProtocolErrorException($"Malformed Redis reply: '{reply.Text()}' is not an integer.");
            case RespType.Boolean when reply.Payload.Length != 1 || (reply.Payload.FirstSpan[0] != (byte)'t' && reply.Payload.FirstSpan[0] != (byte)'f'):
                throw new ProtocolErrorException("Malformed Redis reply: a boolean is neither 't' nor 'f'.");
            case RespType.Null when reply.Payload.Length != 0:
                throw new ProtocolErrorException("Malformed Redis reply: a null carries data.");
            case RespType.Double when !reply.TryDouble(out _):
                throw new ProtocolErrorException($"Malformed Redis reply: '{reply.Text()}' is not a double.");
        }
    }
}
