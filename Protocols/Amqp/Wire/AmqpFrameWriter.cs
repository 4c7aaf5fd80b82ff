using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv.Amqp;

/// <summary>
/// Writes frames straight into an <see cref="IBufferWriter{T}"/>. Each frame's size is computed first (which also
/// validates its arguments), so its header goes out ahead of its payload with no staging buffer, and a bad argument
/// throws before any byte of the frame is written.
/// </summary>
public static class AmqpFrameWriter
{
    /// <summary>Writes the protocol header a client opens the connection with.</summary>
    public static void WriteProtocolHeader(IBufferWriter<byte> output) => new AmqpWriter(output).WriteBytes(AmqpConstants.ProtocolHeader);

    /// <summary>Writes a heartbeat frame (channel 0, empty payload).</summary>
    public static void WriteHeartbeat(IBufferWriter<byte> output)
    {
        WriteFrameHeader(output, AmqpFrameType.Heartbeat, 0, 0);
        WriteFrameEnd(output);
    }

    /// <summary>Writes <paramref name="method"/> as one method frame on <paramref name="channel"/>.</summary>
    public static void WriteMethod(IBufferWriter<byte> output, ushort channel, IAmqpMethod method)
    {
        var size = 4 + method.ArgumentsSize;
        WriteFrameHeader(output, AmqpFrameType.Method, channel, (uint)size);
        var writer = new AmqpWriter(output);
        writer.WriteShort(method.ClassId);
        writer.WriteShort(method.MethodId);
        method.WriteArguments(output);
        WriteFrameEnd(output);
    }

    /// <summary>Writes a basic content header frame announcing <paramref name="bodySize"/> bytes of body.</summary>
    public static void WriteContentHeader(IBufferWriter<byte> output, ushort channel, ulong bodySize, BasicProperties? properties)
    {
        var size = 12 + BasicPropertiesCodec.Size(properties);
        WriteFrameHeader(output, AmqpFrameType.Header, channel, (uint)size);
        var writer = new AmqpWriter(output);
        writer.WriteShort(AmqpConstants.BasicClassId);
        writer.WriteShort(0);
        writer.WriteLongLong(bodySize);
        BasicPropertiesCodec.Write(writer, properties);
        WriteFrameEnd(output);
    }

    /// <summary>
    /// Writes <paramref name="body"/> as body frames of at most <paramref name="frameMax"/> bytes each (so
    /// frame_max − 8 of body); an empty body writes no frame. A <paramref name="frameMax"/> of 0 means no limit.
    /// </summary>
    public static void WriteBody(IBufferWriter<byte> output, ushort channel, ReadOnlySequence<byte> body, uint frameMax)
    {
        var chunk = BodyChunk(frameMax);
        for (var rest = body; !rest.IsEmpty;)
        {
            var length = (int)Math.Min(rest.Length, chunk);
            WriteFrameHeader(output, AmqpFrameType.Body, channel, (uint)length);
            rest.Slice(0, length).CopyTo(output.GetSpan(length));
            output.Advance(length);
            WriteFrameEnd(output);
            rest = rest.Slice(length);
        }
    }

    /// <summary>
    /// Writes a whole publish — the basic.publish method frame, its content header and its body frames — into
    /// <paramref name="output"/> as one unit, so no other frame on the connection can land between its parts.
    /// </summary>
    public static void WritePublish(IBufferWriter<byte> output, ushort channel, BasicPublish publish, BasicProperties? properties, ReadOnlySequence<byte> body, uint frameMax)
    {
        BodyChunk(frameMax);
        BasicPropertiesCodec.Size(properties); // throws on a bad property before the method frame is out
        WriteMethod(output, channel, publish);
        WriteContentHeader(output, channel, (ulong)body.Length, properties);
        WriteBody(output, channel, body, frameMax);
    }

    /// <inheritdoc cref="WritePublish(IBufferWriter{byte}, ushort, BasicPublish, BasicProperties?, ReadOnlySequence{byte}, uint)"/>
    public static void WritePublish(IBufferWriter<byte> output, ushort channel, BasicPublish publish, BasicProperties? properties, ReadOnlyMemory<byte> body, uint frameMax) =>
        WritePublish(output, channel, publish, properties, new ReadOnlySequence<byte>(body), frameMax);

    private static long BodyChunk(uint frameMax)
    {
        if (frameMax == 0)
        {
            return int.MaxValue;
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(frameMax, (uint)AmqpConstants.FrameOverhead);
        return frameMax - AmqpConstants.FrameOverhead;
    }

    private static void WriteFrameHeader(IBufferWriter<byte> output, AmqpFrameType type, ushort channel, uint size)
    {
        var span = output.GetSpan(AmqpConstants.FrameHeaderSize);
        span[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], channel);
        BinaryPrimitives.WriteUInt32BigEndian(span[3..], size);
        output.Advance(AmqpConstants.FrameHeaderSize);
    }

    private static void WriteFrameEnd(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = AmqpConstants.FrameEnd;
        output.Advance(1);
    }
}
