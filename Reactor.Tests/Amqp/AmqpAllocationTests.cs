using System.Buffers;
using ReactiveKv.Amqp;

namespace ReactiveKv.Tests.Amqp;

/// <summary>The hot paths — cutting frames and writing publishes, acks and heartbeats — allocate nothing.</summary>
[Trait("Category", "Unit")]
public class AmqpAllocationTests
{
    private static readonly BasicPublish Publish = new() { Exchange = "amq.direct", RoutingKey = "orders" };
    private static readonly BasicProperties Properties = new() { ContentType = "application/json", DeliveryMode = 2, MessageId = "m-1", Timestamp = new AmqpTimestamp(1) };
    private static readonly ReadOnlyMemory<byte> Body = new byte[10000];

    [Fact]
    public void WritingPublishesAcksAndHeartbeats_DoesNotAllocate()
    {
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var ack = new BasicAck { DeliveryTag = 42, Multiple = true };
        WriteSome(output, ack);

        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteSome(output, ack);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void CuttingFrames_DoesNotAllocate()
    {
        var output = new ArrayBufferWriter<byte>(1 << 20);
        WriteSome(output, new BasicAck { DeliveryTag = 1 });
        var stream = new ReadOnlySequence<byte>(output.WrittenMemory);
        var decoder = new AmqpFrameDecoder(4096);
        Assert.Equal(CountFrames(decoder, stream), CountFrames(decoder, stream));

        var before = GC.GetAllocatedBytesForCurrentThread();
        CountFrames(decoder, stream);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // The first call also warms the JIT, so the measured call sees only what writing itself allocates.
    private static void WriteSome(ArrayBufferWriter<byte> output, BasicAck ack)
    {
        output.ResetWrittenCount();
        for (var i = 0; i < 10; i++)
        {
            AmqpFrameWriter.WritePublish(output, 1, Publish, Properties, Body, 4096);
            AmqpFrameWriter.WriteMethod(output, 1, ack);
            AmqpFrameWriter.WriteHeartbeat(output);
        }
    }

    private static int CountFrames(AmqpFrameDecoder decoder, ReadOnlySequence<byte> stream)
    {
        var frames = 0;
        while (decoder.TryDecode(ref stream, out _))
        {
            frames++;
        }

        return frames;
    }
}
