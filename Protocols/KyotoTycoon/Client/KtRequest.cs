using System.Buffers;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One HTTP or binary request on the pipelined connection, and what its reply is expected to look like (the server
/// answers strictly in order, so the head of the queue says how to read the next bytes).
/// </summary>
internal sealed class KtRequest : ClientRequest
{
    private static readonly object NoReplyMarker = new();

    private readonly Action<IBufferWriter<byte>> _write;

    private KtRequest(string operation, KtConnection.Kind kind, bool head, byte magic, bool noReply, Action<IBufferWriter<byte>> write)
    {
        Operation = operation;
        Kind = kind;
        Head = head;
        Magic = magic;
        NoReply = noReply;
        _write = write;
    }

    public override string Operation { get; }

    public KtConnection.Kind Kind { get; }

    public bool Head { get; }

    public byte Magic { get; }

    /// <summary>Binary requests with the no-reply flag: nothing comes back, so they settle once written.</summary>
    public bool NoReply { get; }

    public Deferred<HttpResponse> Http { get; } = new();

    public Deferred<object> Binary { get; } = new();

    public override bool IsSettled => Http.Called || Binary.Called;

    public static KtRequest ForHttp(string method, string target, IReadOnlyList<(string Name, string Value)> headers, byte[] body, string authority)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        var head = Encoding.Latin1.GetBytes(text.ToString());
        return new KtRequest($"{method} {target}", KtConnection.Kind.Http, method == "HEAD", 0, false, output =>
        {
            output.Write(head);
            output.Write(body);
        });
    }

    public static KtRequest ForBinary(Action<IBufferWriter<byte>> write, KtConnection.Kind kind, byte magic, bool noReply) =>
        new($"binary 0x{magic:X2}", kind, false, magic, noReply, write);

    public static bool IsNoReply(object reply) => ReferenceEquals(reply, NoReplyMarker);

    public void Write(IBufferWriter<byte> output)
    {
        _write(output);
        if (NoReply)
        {
            Binary.TryCallback(NoReplyMarker);
        }
    }

    public override void Fail(Exception error)
    {
        Http.TryErrback(error);
        Binary.TryErrback(error);
    }

    /// <summary>Reads this request's reply from <paramref name="reader"/>; false until it is complete.</summary>
    public bool TryComplete(ref SequenceReader<byte> reader, long maxBytes)
    {
        switch (Kind)
        {
            case KtConnection.Kind.Http:
                if (!HttpResponse.TryParse(ref reader, Head, maxBytes, out var response))
                {
                    return false;
                }

                Http.TryCallback(response!);
                return true;
            case KtConnection.Kind.BinaryCount:
                if (!BinaryProtocol.TryReadCount(ref reader, Magic, out var hits, out var error))
                {
                    return false;
                }

                Settle(error ? null : hits);
                return true;
            case KtConnection.Kind.BinaryScript:
                if (!BinaryProtocol.TryReadPlayScript(ref reader, maxBytes, out var output, out var scriptFailed))
                {
                    return false;
                }

                if (scriptFailed)
                {
                    Binary.TryErrback(new KtException("binary play_script", 0, "the script failed (the connection stays usable)"));
                }
                else
                {
                    Binary.TryCallback(output!);
                }

                return true;
            default:
                if (!BinaryProtocol.TryReadGetBulk(ref reader, maxBytes, out var records, out var failed))
                {
                    return false;
                }

                Settle(failed ? null : records);
                return true;
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
