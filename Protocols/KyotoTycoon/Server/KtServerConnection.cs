using System.Globalization;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One client connection to the embedded server: runs the requests its <see cref="KtRequestDecoder"/> cuts from the
/// stream (HTTP or binary, by first byte), answering strictly in order.
/// </summary>
internal sealed class KtServerConnection(KtServer server)
    : FramedProtocol<KtRequest>(new KtRequestDecoder(MaxLine, server.Options.MaxBodyBytes, BinaryProtocol.MaxFieldBytes))
{
    private const int MaxLine = 8192;

    // RPC cursors live exactly as long as the connection, as ktserver's do.
    private readonly Dictionary<long, ServerCursor> _cursors = [];

    private ReplicationStream? _replication;

    // Set while a WAIT request holds the connection; cancels the wait.
    private Action? _cancelWait;

    protected override bool Suspended => _cancelWait is not null;

    protected override void FrameReceived(KtRequest frame)
    {
        switch (frame)
        {
            case KtRequest.Http http:
                Http(http);
                break;
            case KtRequest.Bulk bulk:
                Bulk(bulk);
                break;
            case KtRequest.Script script:
                PlayScript(script);
                break;
            case KtRequest.Replicate replicate:
                StartReplication(replicate);
                break;
            default:
                _replication?.Acknowledged();
                break;
        }
    }

    protected override bool FrameError(ProtocolErrorException error)
    {
        switch ((error as KtRequestRejectedException)?.Answer ?? KtRejection.Abort)
        {
            case KtRejection.Close:
                Transport.LoseConnection();
                break;
            case KtRejection.ErrorByte:
                Transport.Write([BinaryProtocol.Error]);
                Transport.LoseConnection();
                break;
            case KtRejection.BadRequest:
                Respond(400, "Bad Request", [("Content-Type", "text/plain")], Encoding.ASCII.GetBytes("400 Bad Request (receiving data failed)\n"), close: true, head: false);
                break;
            case KtRejection.TooLarge:
                Respond(413, "Request Entity Too Large", [("Content-Type", "text/plain")], Encoding.ASCII.GetBytes("413 Request Entity Too Large (request entity too large)\n"), close: true, head: false);
                break;
            default:
                Transport.AbortConnection();
                break;
        }

        return true;
    }

    private void Http(KtRequest.Http request)
    {
        var (method, target, headers) = (request.Method, request.Target, request.Headers);
        var keepAlive = request.Version == "HTTP/1.1"
            ? !headers.TryGetValue("connection", out var c) || !c.Equals("close", StringComparison.OrdinalIgnoreCase)
            : headers.TryGetValue("connection", out var k) && k.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
        var call = server.ParseRpc(target, headers, request.Body);
        if (call is not null && call.Input.TryGetValue("WAIT", out var condition))
        {
            Suspend(call, Encoding.UTF8.GetString(condition), WaitTime(call.Input), keepAlive);
            return;
        }

        var (status, reason, extra, responseBody) = call is null ? server.HandleHttp(method, target, headers, request.Body, _cursors) : server.RunRpc(call, _cursors);
        Respond(status, reason, extra, responseBody, close: !keepAlive, head: method == "HEAD");
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

    private void PlayScript(KtRequest.Script request)
    {
        var reply = server.PlayScriptBinary(request.Name, request.Records);
        if ((request.Flags & BinaryProtocol.NoReply) == 0)
        {
            // A failed script answers the single error byte and the connection stays usable.
            Transport.Write(reply ?? [BinaryProtocol.Error]);
        }
    }

    private void StartReplication(KtRequest.Replicate request)
    {
        Transport.Write([ReplicationCodec.Record]);
        _replication = new ReplicationStream(this, server, request.Timestamp, request.ServerId, (request.Flags & ReplicationCodec.WhiteSid) != 0);
        (Transport as IConsumer)?.RegisterProducer(_replication);
        server.AddSession(this, true);
        _replication.Pump();
    }

    private void Bulk(KtRequest.Bulk request)
    {
        var reply = server.HandleBinary(request.Magic, request.Records);
        if ((request.Flags & BinaryProtocol.NoReply) == 0 || request.Magic == BinaryProtocol.GetBulk)
        {
            Transport.Write(reply);
        }
    }
}
