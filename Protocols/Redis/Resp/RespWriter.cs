using System.Buffers;
using System.Buffers.Text;

namespace ReactiveKv.Redis;

/// <summary>Encodes commands as RESP arrays of bulk strings, straight into the transport's send buffer.</summary>
internal static class RespWriter
{
    public static void WriteArrayHeader(IBufferWriter<byte> output, int count) => WriteLength(output, (byte)'*', count);

    /// <summary>Most commands fit one small buffer: size it, fill it, commit once, instead of a commit per token.</summary>
    public static bool TryWriteCommand(IBufferWriter<byte> output, string name, RedisValue[] arguments)
    {
        const int MaxInOneSpan = 4096;
        if (name.Length > 64 || arguments.Length > 16)
        {
            return false;
        }

        Span<int> lengths = stackalloc int[arguments.Length];
        var nameLength = System.Text.Encoding.UTF8.GetByteCount(name);
        var total = Header(arguments.Length + 1) + Token(nameLength);
        for (var i = 0; i < arguments.Length; i++)
        {
            lengths[i] = arguments[i].EncodedLength;
            total += Token(lengths[i]);
            if (total > MaxInOneSpan)
            {
                return false;
            }
        }

        var span = output.GetSpan(total);
        var at = WriteLength(span, (byte)'*', arguments.Length + 1);
        at += WriteLength(span[at..], (byte)'$', nameLength);
        at += System.Text.Encoding.UTF8.GetBytes(name, span[at..]);
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        for (var i = 0; i < arguments.Length; i++)
        {
            at += WriteLength(span[at..], (byte)'$', lengths[i]);
            at += arguments[i].CopyTo(span[at..]);
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
        }

        output.Advance(at);
        return true;

        static int Header(int count) => 3 + Digits(count);

        static int Token(int length) => 5 + Digits(length) + length;

        static int Digits(int value) => value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 10;
    }

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

    private static int WriteLength(Span<byte> span, byte marker, long length)
    {
        span[0] = marker;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        return 3 + written;
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
