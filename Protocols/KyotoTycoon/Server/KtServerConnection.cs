using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One client connection to the embedded server. Each request is HTTP or binary by its first byte (0x00 or
/// &gt;= 0x80 is binary), as ktserver decides; requests are answered strictly in order.
/// </summary>
internal sealed class KtServerConnection(KtServer server) : Protocol
{
    private const int MaxLine = 8192;

    // RPC cursors live exactly as long as the connection, as ktserver's do.
    private readonly Dictionary<long, ServerCursor> _cursors = [];

    private ReplicationStream? _replication;

    // Set while a WAIT request holds the connection; cancels the wait.
    private Action? _cancelWait;

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        if (_replication is { } stream)
        {
            stream.Acknowledgements(data);
            return data.End;
        }

        var reader = new SequenceReader<byte>(data);
        while (Connected && !Transport.Disconnecting && _cancelWait is null && reader.TryPeek(out var first))
        {
            var start = reader;
            var done = first == 0x00 || first >= 0x80 ? Binary(ref reader) : Http(ref reader);
            if (!done)
            {
                reader = start;
                break;
            }
        }

        return Transport.Disconnecting ? data.End : reader.Position;
    }

    private bool Http(ref SequenceReader<byte> reader)
    {
        var start = reader;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> requestLine, (byte)'\n'))
        {
            if (reader.Remaining > MaxLine)
            {
                Transport.AbortConnection();
            }

            return false;
        }

        var line = Encoding.Latin1.GetString(requestLine).TrimEnd('\r').Split(' ');
        if (line.Length != 3 || line[1].Length == 0 || line[2] is not ("HTTP/1.0" or "HTTP/1.1"))
        {
            // A malformed request line: the real server closes without a response.
            Transport.LoseConnection();
            return true;
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> headerLine, (byte)'\n'))
            {
                if (reader.Remaining > MaxLine)
                {
                    Transport.AbortConnection();
                    return true;
                }

                reader = start;
                return false;
            }

            var text = Encoding.Latin1.GetString(headerLine).TrimEnd('\r');
            if (text.Length == 0)
            {
                break;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[text[..colon].Trim().ToLowerInvariant()] = text[(colon + 1)..].TrimStart();
            }
        }

        var method = line[0];
        byte[] body = [];
        if (method is not ("GET" or "HEAD" or "DELETE") && headers.TryGetValue("content-length", out var length))
        {
            var size = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (size > server.Options.MaxBodyBytes)
            {
                Respond(413, "Request Entity Too Large", [("Content-Type", "text/plain")], Encoding.ASCII.GetBytes("413 Request Entity Too Large (request entity too large)\n"), close: true, head: false);
                return true;
            }

            if (reader.Remaining < size)
            {
                reader = start;
                return false;
            }

            body = reader.UnreadSequence.Slice(0, size).ToArray();
            reader.Advance(size);
        }
        else if (method is not ("GET" or "HEAD" or "DELETE") && headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            switch (Chunked(ref reader, out body))
            {
                case ChunkedBody.Incomplete:
                    reader = start;
                    return false;
                case ChunkedBody.TooLarge:
                    Respond(413, "Request Entity Too Large", [("Content-Type", "text/plain")], Encoding.ASCII.GetBytes("413 Request Entity Too Large (request entity too large)\n"), close: true, head: false);
                    return true;
                case ChunkedBody.Malformed:
                    Respond(400, "Bad Request", [("Content-Type", "text/plain")], Encoding.ASCII.GetBytes("400 Bad Request (receiving data failed)\n"), close: true, head: false);
                    return true;
            }
        }

        var keepAlive = line[2] == "HTTP/1.1"
            ? !headers.TryGetValue("connection", out var c) || !c.Equals("close", StringComparison.OrdinalIgnoreCase)
            : headers.TryGetValue("connection", out var k) && k.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
        var call = server.ParseRpc(line[1], headers, body);
        if (call is not null && call.Input.TryGetValue("WAIT", out var condition))
        {
            Suspend(call, Encoding.UTF8.GetString(condition), WaitTime(call.Input), keepAlive);
            return true;
        }

        var (status, reason, extra, responseBody) = call is null ? server.HandleHttp(method, line[1], headers, body, _cursors) : server.RunRpc(call, _cursors);
        Respond(status, reason, extra, responseBody, close: !keepAlive, head: method == "HEAD");
        return true;
    }

    /// <summary><c>WAITTIME</c> in seconds (fractions allowed); absent or not above 0 means ktserver's 30 s.</summary>
    private static TimeSpan WaitTime(Dictionary<string, byte[]> input) =>
        input.TryGetValue("WAITTIME", out var text) && double.TryParse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2))
            : TimeSpan.FromSeconds(30);

    /// <summary>
    /// Holds the request until its condition is signalled (then runs it) or the wait ends (503, not run). Requests
    /// pipelined behind it wait too, as on ktserver's per-connection thread: reading pauses until the answer is out.
    /// </summary>
    private void Suspend(RpcCall call, string condition, TimeSpan wait, bool keepAlive)
    {
        (Transport as IPushProducer)?.PauseProducing();
        _cancelWait = server.Conditions.WaitOnLoop(Transport.Loop, [condition], wait, signaled =>
        {
            _cancelWait = null;
            if (!Connected || Transport.Disconnecting)
            {
                return;
            }

            var (status, reason, extra, responseBody) = signaled ? server.RunRpc(call, _cursors) : KtServer.ConditionTimedOut();
            Respond(status, reason, extra, responseBody, close: !keepAlive, head: false);
            if (keepAlive)
            {
                (Transport as IPushProducer)?.ResumeProducing();
            }
        });
    }

    private enum ChunkedBody
    {
        Complete,
        Incomplete,
        TooLarge,
        Malformed,
    }

    /// <summary>A chunked request body: hex sizes (extensions after <c>;</c> ignored), data, and trailers up to an empty line.</summary>
    private ChunkedBody Chunked(ref SequenceReader<byte> reader, out byte[] body)
    {
        body = [];
        var parts = new List<ReadOnlySequence<byte>>();
        long total = 0;
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> sizeLine, (byte)'\n'))
            {
                return reader.Remaining > MaxLine ? ChunkedBody.Malformed : ChunkedBody.Incomplete;
            }

            var text = Encoding.Latin1.GetString(sizeLine).TrimEnd('\r');
            var semicolon = text.IndexOf(';', StringComparison.Ordinal);
            if (!long.TryParse(semicolon < 0 ? text.Trim() : text[..semicolon].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return ChunkedBody.Malformed;
            }

            if (size == 0)
            {
                break;
            }

            total += size;
            if (total > server.Options.MaxBodyBytes)
            {
                return ChunkedBody.TooLarge;
            }

            if (reader.Remaining < size)
            {
                return ChunkedBody.Incomplete;
            }

            parts.Add(reader.UnreadSequence.Slice(0, size));
            reader.Advance(size);
            if (!reader.TryReadTo(out ReadOnlySequence<byte> end, (byte)'\n'))
            {
                return ChunkedBody.Incomplete;
            }

            if (end.Length > 1 || (end.Length == 1 && end.FirstSpan[0] != (byte)'\r'))
            {
                return ChunkedBody.Malformed;
            }
        }

        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> trailer, (byte)'\n'))
            {
                return ChunkedBody.Incomplete;
            }

            if (trailer.Length == 0 || (trailer.Length == 1 && trailer.FirstSpan[0] == (byte)'\r'))
            {
                break;
            }
        }

        body = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(body.AsSpan(at));
            at += (int)part.Length;
        }

        return ChunkedBody.Complete;
    }

    private void Respond(int status, string reason, IReadOnlyList<(string Name, string Value)> headers, byte[] body, bool close, bool head)
    {
        var text = new StringBuilder();
        text.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\nServer: KyotoTycoon/0.9.56b\r\n");
        text.Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        if (close)
        {
            text.Append("Connection: close\r\n");
        }

        if (!head || !headers.Any(h => h.Name == "Content-Length"))
        {
            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("\r\n");
        Transport.Write(Encoding.Latin1.GetBytes(text.ToString()));
        if (!head)
        {
            Transport.Write(body);
        }

        if (close)
        {
            Transport.LoseConnection();
        }
    }

    /// <summary>Runs on this connection's loop whenever the update log grows.</summary>
    public void PumpReplication() => _replication?.Pump();

    protected override void ConnectionLost(Exception reason)
    {
        _cancelWait?.Invoke();
        if (_replication is { } stream)
        {
            stream.Stop();
            server.AddSession(this, false);
        }
    }

    private bool PlayScript(ref SequenceReader<byte> reader, SequenceReader<byte> start)
    {
        if (!reader.TryReadBigEndian(out int flags) || !reader.TryReadBigEndian(out int nameSize) || !reader.TryReadBigEndian(out int count))
        {
            reader = start;
            return false;
        }

        if ((uint)nameSize > BinaryProtocol.MaxFieldBytes)
        {
            // An oversized script name: the server closes without a reply.
            Transport.LoseConnection();
            return true;
        }

        if (reader.Remaining < nameSize)
        {
            reader = start;
            return false;
        }

        var name = Encoding.Latin1.GetString(reader.UnreadSequence.Slice(0, nameSize));
        reader.Advance(nameSize);
        var records = new List<(byte[], byte[])>();
        for (var i = 0; i < (uint)count; i++)
        {
            if (!reader.TryReadBigEndian(out int ksiz) || !reader.TryReadBigEndian(out int vsiz))
            {
                reader = start;
                return false;
            }

            if ((uint)ksiz > BinaryProtocol.MaxFieldBytes || (uint)vsiz > BinaryProtocol.MaxFieldBytes)
            {
                Transport.LoseConnection();
                return true;
            }

            if (reader.Remaining < (long)(uint)ksiz + (uint)vsiz)
            {
                reader = start;
                return false;
            }

            var key = reader.UnreadSequence.Slice(0, ksiz).ToArray();
            reader.Advance(ksiz);
            var value = reader.UnreadSequence.Slice(0, vsiz).ToArray();
            reader.Advance(vsiz);
            records.Add((key, value));
        }

        var reply = server.PlayScriptBinary(name, records);
        if ((flags & BinaryProtocol.NoReply) == 0)
        {
            // A failed script answers the single error byte and the connection stays usable.
            Transport.Write(reply ?? [BinaryProtocol.Error]);
        }

        return true;
    }

    private bool StartReplication(ref SequenceReader<byte> reader, SequenceReader<byte> start)
    {
        if (!reader.TryReadBigEndian(out int flags) || !reader.TryReadBigEndian(out long timestamp) || !reader.TryReadBigEndian(out short sid))
        {
            reader = start;
            return false;
        }

        Transport.Write([ReplicationCodec.Record]);
        _replication = new ReplicationStream(this, server, (ulong)timestamp, (ushort)sid, (flags & ReplicationCodec.WhiteSid) != 0);
        (Transport as IConsumer)?.RegisterProducer(_replication);
        server.AddSession(this, true);
        _replication.Pump();
        return true;
    }

    private bool Binary(ref SequenceReader<byte> reader)
    {
        var start = reader;
        reader.TryRead(out var magic);
        if (magic == ReplicationCodec.Record)
        {
            return StartReplication(ref reader, start);
        }

        if (magic == BinaryProtocol.PlayScript)
        {
            return PlayScript(ref reader, start);
        }

        if (magic is not (BinaryProtocol.SetBulk or BinaryProtocol.RemoveBulk or BinaryProtocol.GetBulk))
        {
            // Unknown binary magic (play_script and replication are not served here): the server closes.
            Transport.LoseConnection();
            return true;
        }

        if (!reader.TryReadBigEndian(out int flags) || !reader.TryReadBigEndian(out int count))
        {
            reader = start;
            return false;
        }

        var records = new List<(ushort Db, byte[] Key, byte[] Value, long Xt)>();
        for (var i = 0; i < (uint)count; i++)
        {
            if (!reader.TryReadBigEndian(out short db) || !reader.TryReadBigEndian(out int ksiz))
            {
                reader = start;
                return false;
            }

            int vsiz = 0;
            long xt = 0;
            if (magic == BinaryProtocol.SetBulk && (!reader.TryReadBigEndian(out vsiz) || !reader.TryReadBigEndian(out xt)))
            {
                reader = start;
                return false;
            }

            if ((uint)ksiz > BinaryProtocol.MaxFieldBytes || (uint)vsiz > BinaryProtocol.MaxFieldBytes)
            {
                Transport.Write([BinaryProtocol.Error]);
                Transport.LoseConnection();
                return true;
            }

            if (reader.Remaining < (long)(uint)ksiz + (uint)vsiz)
            {
                reader = start;
                return false;
            }

            var key = reader.UnreadSequence.Slice(0, ksiz).ToArray();
            reader.Advance(ksiz);
            var value = reader.UnreadSequence.Slice(0, vsiz).ToArray();
            reader.Advance(vsiz);
            records.Add(((ushort)db, key, value, xt));
        }

        var reply = server.HandleBinary(magic, records);
        if ((flags & BinaryProtocol.NoReply) == 0 || magic == BinaryProtocol.GetBulk)
        {
            Transport.Write(reply);
        }

        return true;
    }
}
