using System.Buffers;

namespace ReactiveKv.Amqp;

/// <summary>
/// One AMQP method: its ids and its arguments' encoding. The records in Methods/ implement it, one per method of
/// RabbitMQ's 0-9-1; <see cref="AmqpMethodDecoder"/> decodes them and <see cref="AmqpFrameWriter"/> frames them.
/// </summary>
public interface IAmqpMethod
{
    /// <summary>The class id (10 connection, 20 channel, 40 exchange, 50 queue, 60 basic, 85 confirm, 90 tx).</summary>
    ushort ClassId { get; }

    /// <summary>The method id within the class.</summary>
    ushort MethodId { get; }

    /// <summary>The spec's name, such as "queue.declare", for logs and errors.</summary>
    string Name { get; }

    /// <summary>True when a content header and body follow the method (publish, return, deliver, get-ok).</summary>
    bool HasContent { get; }

    /// <summary>
    /// The bytes <see cref="WriteArguments"/> writes. Computing it checks every argument (short strings within 255
    /// bytes, table values of a type the codec knows), so a bad one throws before any byte is written.
    /// </summary>
    int ArgumentsSize { get; }

    /// <summary>Writes the arguments (not the class and method ids) into <paramref name="output"/>.</summary>
    void WriteArguments(IBufferWriter<byte> output);
}
