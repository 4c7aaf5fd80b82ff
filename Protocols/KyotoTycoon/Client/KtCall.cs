using System.Buffers;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One HTTP or binary request on the pipelined connection, and what its reply is expected to look like (the server
/// answers strictly in order, so the head of the queue says how to read the next bytes).
/// </summary>
internal sealed class KtCall : ClientRequest
{
    private static readonly object NoReplyMarker = new();

    private readonly Action<IBufferWriter<byte>> _write;
    private string? _telemetryOperation;

    private KtCall(string operation, KtConnection.Kind kind, bool head, byte magic, bool noReply, Action<IBufferWriter<byte>> write)
    {
        Operation = operation;
        Kind = kind;
        Head = head;
        Magic = magic;
        NoReply = noReply;
        _write = write;
    }

    public override string Operation { get; }

    /// <summary>The RPC procedure ("get"), the REST method ("GET") or the binary command ("get_bulk"): never the key. Worked out only when measured.</summary>
    protected override string TelemetryOperation => _telemetryOperation ??= KtOperationNames.Of(Kind, Operation, Magic);

    public KtConnection.Kind Kind { get; }

    public bool Head { get; }

    public byte Magic { get; }

    /// <summary>Binary requests with the no-reply flag: nothing comes back, so they settle once written.</summary>
    public bool NoReply { get; }

    public Deferred<HttpResponse> Http { get; } = new();

    public Deferred<object> Binary { get; } = new();

    public override bool IsSettled => Http.Called || Binary.Called;

    public static KtCall ForHttp(string method, string target, IReadOnlyList<(string Name, string Value)> headers, byte[] body, string authority)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        var head = Encoding.Latin1.GetBytes(text.ToString());
        return new KtCall($"{method} {target}", KtConnection.Kind.Http, method == "HEAD", 0, false, output =>
        {
            output.Write(head);
            output.Write(body);
        });
    }

    public static KtCall ForBinary(Action<IBufferWriter<byte>> write, KtConnection.Kind kind, byte magic, bool noReply) =>
        new($"binary 0x{magic:X2}", kind, false, magic, noReply, write);

    public static bool IsNoReply(object reply) => ReferenceEquals(reply, NoReplyMarker);

    public void Write(IBufferWriter<byte> output)
    {
        _write(output);
        if (NoReply)
        {
            ReportSettled((Exception?)null);
            Binary.TryCallback(NoReplyMarker);
        }
    }

    public override void Fail(Exception error)
    {
        ReportSettled(error);
        Http.TryErrback(error);
        Binary.TryErrback(error);
    }

    /// <summary>What the decoder must expect for this call's reply.</summary>
    public KtAwaited Awaited => new(Kind, Head, Magic);

    /// <summary>Delivers the decoded reply.</summary>
    public void Complete(KtReply reply)
    {
        // Reported before the result is delivered: the caller's continuation may run inline, and is not the call's time.
        if (IsMeasured)
        {
            ReportSettled(KtOperationNames.ErrorType(Kind, reply));
        }

        switch (Kind)
        {
            case KtConnection.Kind.Http:
                Http.TryCallback(reply.Http!);
                break;
            case KtConnection.Kind.BinaryScript when reply.Failed:
                Binary.TryErrback(new KtException("binary play_script", 0, "the script failed (the connection stays usable)"));
                break;
            case KtConnection.Kind.BinaryScript:
                Binary.TryCallback(reply.Binary!);
                break;
            default:
                Settle(reply.Binary);
                break;
        }
    }

    private void Settle(object? result)
    {
        if (result is null)
        {
            Binary.TryErrback(new KtException($"binary 0x{Magic:X2}", 0, "the server answered 0xBF and closes the connection"));
        }
        else
        {
            Binary.TryCallback(result);
        }
    }
}
