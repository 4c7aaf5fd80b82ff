using System.Buffers;
using System.Text;

namespace ReactiveKv.Amqp;

/// <summary>
/// The short strings a connection reads again and again (consumer tags, exchanges, routing keys of every delivery),
/// kept per thread so a repeat costs a byte comparison instead of a new string. Small and fixed: 16 entries, each a
/// string of at most 64 bytes, replaced round-robin.
/// </summary>
internal static class ShortStringCache
{
    private const int Entries = 16;
    private const int MaxBytes = 64;

    [ThreadStatic]
    private static (byte[] Bytes, string Text)[]? t_entries;

    [ThreadStatic]
    private static int t_next;

    public static string Get(ReadOnlySequence<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return "";
        }

        if (bytes.Length > MaxBytes || !bytes.IsSingleSegment)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var span = bytes.FirstSpan;
        var entries = t_entries ??= new (byte[], string)[Entries];
        foreach (var (cached, text) in entries)
        {
            if (cached is not null && span.SequenceEqual(cached))
            {
                return text;
            }
        }

        var decoded = Encoding.UTF8.GetString(span);
        entries[t_next] = (span.ToArray(), decoded);
        t_next = (t_next + 1) % Entries;
        return decoded;
    }
}
