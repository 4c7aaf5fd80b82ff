using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>Frames request and reply bodies as <c>&lt;length&gt;:&lt;body&gt;</c> (spec §2).</summary>
internal static class KeyspaceFrameWriter
{
    /// <summary>Writes <paramref name="body"/> as one frame into <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IKeyspaceBody body)
    {
        var measure = KeyspaceBodyWriter.Measuring();
        body.WriteBody(ref measure);
        var writer = KeyspaceBodyWriter.Into(output);
        writer.Decimal((ulong)measure.Length);
        writer.Raw(":"u8);
        body.WriteBody(ref writer);
    }

    /// <summary>Writes the submit frame <c>1:*</c>.</summary>
    public static void WriteSubmit(IBufferWriter<byte> output) => output.Write("1:*"u8);
}
