using System.Buffers;

namespace ReactiveKv.Amqp;

/// <summary>A decoded content header frame: the content's class, the body size to expect, and its properties.</summary>
public sealed class AmqpContentHeader
{
    /// <summary>Creates a header.</summary>
    public AmqpContentHeader(ushort classId, ulong bodySize, BasicProperties properties)
    {
        ClassId = classId;
        BodySize = bodySize;
        Properties = properties;
    }

    /// <summary>The class of the method the content belongs to (always basic, 60).</summary>
    public ushort ClassId { get; }

    /// <summary>The total body size; body frames follow until they add up to it (none when it is zero).</summary>
    public ulong BodySize { get; }

    /// <summary>The message properties.</summary>
    public BasicProperties Properties { get; }

    /// <summary>Decodes a header frame's payload, copying what it keeps.</summary>
    /// <exception cref="AmqpFrameException">The header is truncated, not for class basic, or flags unknown properties.</exception>
    public static AmqpContentHeader Decode(ReadOnlySequence<byte> payload)
    {
        var reader = new AmqpReader(payload);
        var classId = reader.ReadShort();
        if (classId != AmqpConstants.BasicClassId)
        {
            throw new AmqpFrameException($"A content header is for class {classId}; only basic ({AmqpConstants.BasicClassId}) carries content.");
        }

        reader.ReadShort(); // weight: unused, always zero
        var bodySize = reader.ReadLongLong();
        return new AmqpContentHeader(classId, bodySize, BasicPropertiesCodec.Read(ref reader));
    }
}
