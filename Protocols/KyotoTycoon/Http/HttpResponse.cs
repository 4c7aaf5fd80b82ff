using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>One HTTP/1.1 response as Kyoto Tycoon sends them: status line, headers, a Content-Length body (never chunked).</summary>
internal sealed record HttpResponse(int Status, string Reason, Dictionary<string, string> Headers, byte[] Body)
{
    private const int MaxHeaderBytes = 64 << 10;

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>Parses a complete response at the reader's position; false (reader unmoved) when more bytes are needed.</summary>
    public static bool TryParse(ref SequenceReader<byte> reader, bool headRequest, long maxBody, out HttpResponse? response)
    {
        response = null;
        var start = reader;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> statusLine, "\r\n"u8))
        {
            if (reader.Remaining > MaxHeaderBytes)
            {
                throw new ProtocolErrorException("An HTTP status line from Kyoto Tycoon is longer than 64 KiB.");
            }

            return false;
        }

        var status = Encoding.ASCII.GetString(statusLine).Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new ProtocolErrorException($"Not an HTTP status line: '{Encoding.ASCII.GetString(statusLine)}'.");
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
            {
                // What is buffered counts, the unfinished line included: a header line that never ends must not either.
                if (reader.Consumed - start.Consumed + reader.Remaining > MaxHeaderBytes)
                {
                    throw new ProtocolErrorException("HTTP headers from Kyoto Tycoon are longer than 64 KiB.");
                }

                reader = start;
                return false;
            }

            if (line.IsEmpty)
            {
                break;
            }

            var text = Encoding.Latin1.GetString(line);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[text[..colon].Trim().ToLowerInvariant()] = text[(colon + 1)..].Trim();
            }
        }

        long length = 0;
        if (!headRequest && headers.TryGetValue("content-length", out var declared) && !long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            throw new ProtocolErrorException($"Bad Content-Length '{declared}'.");
        }

        if (length > maxBody)
        {
            throw FrameTooLargeException.Exceeds(
                $"A Kyoto Tycoon HTTP body (Content-Length) of {length} bytes", "KtOptions.MaxReplyBytes", FrameTooLargeException.Bytes(maxBody),
                "raise KtOptions.MaxReplyBytes to accept it");
        }

        if (reader.Remaining < length)
        {
            reader = start;
            return false;
        }

        var body = reader.UnreadSequence.Slice(0, length).ToArray();
        reader.Advance(length);
        response = new HttpResponse(code, status.Length > 2 ? status[2] : "", headers, body);
        return true;
    }
}
