using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Reads one HTTP/1.x request the way ktserver does (spec §2.1): LF-terminated lines (a CR before it is dropped),
/// lower-cased header names, and a body only for POST, PUT and unknown methods, from Content-Length or chunked.
/// </summary>
internal static class HttpRequestReader
{
    private const int MaxHeaderLines = 256;

    /// <summary>
    /// A complete request at the reader's position; false when more bytes are needed (the reader is then somewhere
    /// inside it: the caller rewinds). Throws <see cref="KtRequestRejectedException"/> for what ktserver refuses.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, int maxLine, long maxBody, out KtRequest.Http? request)
    {
        request = null;
        if (!TryReadLine(ref reader, maxLine, out var requestLine))
        {
            return false;
        }

        var line = requestLine.Split(' ');
        if (line.Length != 3 || line[1].Length == 0 || line[2] is not ("HTTP/1.0" or "HTTP/1.1"))
        {
            throw new KtRequestRejectedException($"Malformed HTTP request line '{requestLine}'.", KtRejection.Close);
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!TryReadHeaders(ref reader, maxLine, headers))
        {
            return false;
        }

        byte[] body = [];
        if (line[0] is not ("GET" or "HEAD" or "DELETE") && !TryReadBody(ref reader, headers, maxLine, maxBody, out body))
        {
            return false;
        }

        request = new KtRequest.Http(line[0], line[1], line[2], headers, body);
        return true;
    }

    private static bool TryReadHeaders(ref SequenceReader<byte> reader, int maxLine, Dictionary<string, string> headers)
    {
        for (var lines = 0; TryReadLine(ref reader, maxLine, out var text); lines++)
        {
            if (text.Length == 0)
            {
                return true;
            }

            if (lines >= MaxHeaderLines)
            {
                // Each line is bounded; their number must be too, or a peer sending headers for ever is buffered for ever.
                throw new KtRequestRejectedException($"More than {MaxHeaderLines} header lines.", KtRejection.BadRequest);
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[text[..colon].Trim().ToLowerInvariant()] = text[(colon + 1)..].TrimStart();
            }
        }

        return false;
    }

    private static bool TryReadBody(ref SequenceReader<byte> reader, Dictionary<string, string> headers, int maxLine, long maxBody, out byte[] body)
    {
        body = [];
        if (headers.TryGetValue("content-length", out var length))
        {
            var size = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (size > maxBody)
            {
                throw new KtRequestRejectedException($"A {size}-byte request body is over the {maxBody}-byte limit.", KtRejection.TooLarge);
            }

            if (reader.Remaining < size)
            {
                return false;
            }

            body = reader.UnreadSequence.Slice(0, size).ToArray();
            reader.Advance(size);
            return true;
        }

        return !headers.TryGetValue("transfer-encoding", out var coding) || !coding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            || TryReadChunked(ref reader, maxLine, maxBody, out body);
    }

    /// <summary>A chunked body: hex sizes (extensions after <c>;</c> ignored), data, and trailers up to an empty line.</summary>
    private static bool TryReadChunked(ref SequenceReader<byte> reader, int maxLine, long maxBody, out byte[] body)
    {
        body = [];
        var parts = new List<ReadOnlySequence<byte>>();
        long total = 0;
        while (true)
        {
            if (!TryReadLine(ref reader, maxLine, out var text, KtRejection.BadRequest))
            {
                return false;
            }

            var semicolon = text.IndexOf(';', StringComparison.Ordinal);
            if (!long.TryParse(semicolon < 0 ? text.Trim() : text[..semicolon].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new KtRequestRejectedException($"Bad chunk size line '{text}'.", KtRejection.BadRequest);
            }

            if (size == 0)
            {
                break;
            }

            total += size;
            if (total > maxBody)
            {
                throw new KtRequestRejectedException($"A chunked body passed the {maxBody}-byte limit.", KtRejection.TooLarge);
            }

            if (reader.Remaining < size)
            {
                return false;
            }

            parts.Add(reader.UnreadSequence.Slice(0, size));
            reader.Advance(size);
            if (!reader.TryReadTo(out ReadOnlySequence<byte> end, (byte)'\n'))
            {
                // The data must end with CRLF or LF: more than one byte without a line feed can never be that.
                return reader.Remaining > 1
                    ? throw new KtRequestRejectedException("A chunk is not followed by a line end.", KtRejection.BadRequest)
                    : false;
            }

            if (end.Length > 1 || (end.Length == 1 && end.FirstSpan[0] != (byte)'\r'))
            {
                throw new KtRequestRejectedException("A chunk is not followed by a line end.", KtRejection.BadRequest);
            }
        }

        // Trailers are read and dropped, each line bounded as a header is, and as many as headers may be.
        for (var lines = 0; ; lines++)
        {
            if (!TryReadLine(ref reader, maxLine, out var trailer, KtRejection.BadRequest))
            {
                return false;
            }

            if (trailer.Length == 0)
            {
                break;
            }

            if (lines >= MaxHeaderLines)
            {
                throw new KtRequestRejectedException($"More than {MaxHeaderLines} trailer lines.", KtRejection.BadRequest);
            }
        }

        body = Join(parts, total);
        return true;
    }

    private static byte[] Join(List<ReadOnlySequence<byte>> parts, long total)
    {
        var body = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(body.AsSpan(at));
            at += (int)part.Length;
        }

        return body;
    }

    /// <summary>
    /// A line, CR stripped; false when it has not ended yet. A line past the limit is refused with
    /// <paramref name="overlong"/>: a request or header line drops the connection, a chunk size line is a 400.
    /// </summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, int maxLine, out string line, KtRejection overlong = KtRejection.Abort)
    {
        line = "";
        if (!reader.TryReadTo(out ReadOnlySequence<byte> bytes, (byte)'\n'))
        {
            return reader.Remaining > maxLine
                ? throw new KtRequestRejectedException($"A line is longer than {maxLine} bytes.", overlong)
                : false;
        }

        // The same limit whether the line came in one read or several.
        if (bytes.Length > maxLine)
        {
            throw new KtRequestRejectedException($"A line is longer than {maxLine} bytes.", overlong);
        }

        line = Encoding.Latin1.GetString(bytes).TrimEnd('\r');
        return true;
    }
}
