using System.Buffers;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Framing;

/// <summary>The benchmarked decoders (RESP replies, THFT responses) cut frames without allocating.</summary>
[Trait("Category", "Unit")]
public class HotPathAllocationTests
{
    [Fact]
    public void RespReplies_DecodeWithoutAllocating()
    {
        var stream = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("+OK\r\n:42\r\n$5\r\nhello\r\n*2\r\n$1\r\na\r\n:2\r\n", 200))));
        var decoder = new RespReplyDecoder(RespLimits.Default);

        Assert.Equal(800, CountFrames(decoder, stream));
        var before = GC.GetAllocatedBytesForCurrentThread();
        CountFrames(decoder, stream);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ThftResponses_DecodeWithoutAllocating()
    {
        var frame = Convert.FromHexString("0000003d00000014" + Convert.ToHexString(Encoding.ASCII.GetBytes("ERR_OBJECT_NOT_FOUND")) + "8001000200000015" + Convert.ToHexString(Encoding.ASCII.GetBytes("RPC_RRDB_RRDB_GET_ACK")) + "00000001");
        var stream = new ReadOnlySequence<byte>(Enumerable.Repeat(frame, 200).SelectMany(f => f).ToArray());
        var decoder = ThftFrameDecoder.Responses(1 << 20);

        Assert.Equal(200, CountFrames(decoder, stream));
        var before = GC.GetAllocatedBytesForCurrentThread();
        CountFrames(decoder, stream);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // The first pass also warms the JIT, so the measured pass sees only what decoding itself allocates.
    private static int CountFrames<TFrame>(IFrameDecoder<TFrame> decoder, ReadOnlySequence<byte> stream)
    {
        var frames = 0;
        while (decoder.TryDecode(ref stream, out _))
        {
            frames++;
        }

        return frames;
    }
}
