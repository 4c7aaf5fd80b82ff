using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Cuts memcached text commands (spec §7) off the stream: a line ended by LF (a CR before it is dropped) and, for
/// <c>set</c>/<c>add</c>/<c>replace</c> with all five words, a data block of the announced size ended by CRLF or LF.
/// Other verbs never have a data block, so an unsupported storage command's data line comes back as a command of
/// its own, as the plugin reads it. A line over the limit, a bad size or a bad data end throw
/// <see cref="ProtocolErrorException"/> (the plugin drops the connection).
/// </summary>
/// <param name="maxLine">Longest command line (the plugin: 8192).</param>
/// <param name="maxData">Largest data block (the plugin: 2^28).</param>
internal sealed class MemcachedCommandDecoder(int maxLine, long maxData) : IFrameDecoder<MemcachedCommand>
{
    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, [MaybeNullWhen(false)] out MemcachedCommand frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            return reader.Remaining > maxLine
                ? throw new FrameTooLargeException($"A memcached command line is longer than {maxLine} bytes.")
                : false;
        }

        // The same limit whether the line came in one read or several.
        if (line.Length > maxLine)
        {
            throw new FrameTooLargeException($"A memcached command line is longer than {maxLine} bytes.");
        }

        var tokens = Encoding.Latin1.GetString(line).TrimEnd('\r').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var data = ReadOnlySequence<byte>.Empty;
        if (tokens is ["set" or "add" or "replace", _, _, _, _, ..] && !TryReadData(ref reader, tokens[4], out data))
        {
            return false;
        }

        frame = new MemcachedCommand(tokens, data);
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private bool TryReadData(ref SequenceReader<byte> reader, string size, out ReadOnlySequence<byte> data)
    {
        data = default;
        if (!long.TryParse(size, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bytes) || bytes < 0)
        {
            throw new ProtocolErrorException($"'{size}' is not a memcached data block size.");
        }

        if (bytes > maxData)
        {
            throw new FrameTooLargeException($"A memcached data block of {bytes} bytes is over the {maxData}-byte limit.");
        }

        if (reader.Remaining < bytes + 1)
        {
            return false;
        }

        data = reader.UnreadSequence.Slice(0, bytes);
        reader.Advance(bytes);
        reader.TryRead(out var end);
        if (end == '\r' && !reader.TryRead(out end))
        {
            return false;
        }

        return end == '\n' ? true : throw new ProtocolErrorException("A memcached data block does not end in CRLF or LF.");
    }
}
