using System.Buffers;
using System.Buffers.Text;

namespace ReactiveKv.Redis;

/// <summary>Encodes commands as RESP arrays of bulk strings, straight into the transport's send buffer.</summary>
internal static class RespWriter
{
    public static void WriteArrayHeader(IBufferWriter<byte> output, int count) => WriteLength(output, (byte)'*', count);

    public static void WriteArgument(IBufferWriter<byte> output, in RedisValue value)
    {
        WriteLength(output, (byte)'$', value.EncodedLength);
        value.WriteTo(output);
        output.Write("\r\n"u8);
    }

    public static void WriteArgument(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteLength(output, (byte)'$', value.Length);
        output.Write(value);
        output.Write("\r\n"u8);
    }

    private static void WriteLength(IBufferWriter<byte> output, byte marker, long length)
    {
        var span = output.GetSpan(24);
        span[0] = marker;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }
}
