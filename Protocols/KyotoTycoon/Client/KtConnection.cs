using System.Buffers;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One keep-alive connection carrying pipelined HTTP RPC requests and binary commands; the server answers strictly
/// in order, so replies are matched first in, first out. A timed-out request keeps its place (its reply is read and
/// dropped) so the stream stays in step. Loop thread only.
/// </summary>
internal sealed class KtConnection(KtOptions options) : Protocol
{
    private readonly Queue<Pending> _pending = new();
    private readonly KtReplyDecoder _decoder = new(options.MaxReplyBytes);

    public Action<KtConnection>? Made { get; set; }

    public Action<KtConnection, Exception>? Closed { get; set; }

    public override void ConnectionMade() => Made?.Invoke(this);

    public Deferred<HttpResponse> Http(string method, string target, IReadOnlyList<(string Name, string Value)> headers, byte[] body)
    {
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(options.Authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        var pending = new Pending(Kind.Http, method == "HEAD");
        Enqueue(pending);
        Transport.Write(Encoding.Latin1.GetBytes(request.ToString()));
        Transport.Write(body);
        return pending.Http;
    }

    /// <summary>Sends a binary command; null when it asked for no reply.</summary>
    public Deferred<object>? Binary(Action<IBufferWriter<byte>> write, Kind kind, byte magic, bool noReply)
    {
        write(Transport.Output);
        if (noReply)
        {
            return null;
        }

        var pending = new Pending(kind, false) { Magic = magic };
        Enqueue(pending);
        return pending.Binary;
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var buffer = data;
        try
        {
            while (_decoder.TryDecode(ref buffer, out var reply))
            {
                _pending.Dequeue().Complete(reply);
            }
        }
        catch (Exception e) when (e is ProtocolErrorException or FrameTooLargeException)
        {
            FailAll(e);
            Transport.AbortConnection();
            return data.End;
        }

        return buffer.Start;
    }

    protected override void ConnectionLost(Exception reason)
    {
        FailAll(new ConnectionLostException($"The connection to Kyoto Tycoon at {options.Authority} was lost: {reason.Message}", true, reason));
        Closed?.Invoke(this, reason);
    }

    private void Enqueue(Pending pending)
    {
        _pending.Enqueue(pending);
        _decoder.Expect(pending.Awaited);
    }

    private void FailAll(Exception error)
    {
        _decoder.Reset();
        while (_pending.TryDequeue(out var pending))
        {
            pending.Fail(error);
        }
    }

    /// <summary>What a reply is expected to look like.</summary>
    internal enum Kind
    {
        Http,
        BinaryCount,
        BinaryGetBulk,
        BinaryScript,
    }

    private sealed class Pending(Kind kind, bool head)
    {
        public byte Magic { get; init; }

        public Deferred<HttpResponse> Http { get; } = new();

        public Deferred<object> Binary { get; } = new();

        public KtAwaited Awaited => new(kind, head, Magic);

        public void Complete(KtReply reply)
        {
            switch (kind)
            {
                case Kind.Http:
                    Http.TryCallback(reply.Http!);
                    break;
                case Kind.BinaryScript when reply.Failed:
                    Binary.TryErrback(new KtException("binary play_script", 0, "the script failed (the connection stays usable)"));
                    break;
                case Kind.BinaryScript:
                    Binary.TryCallback(reply.Binary!);
                    break;
                default:
                    Settle(reply.Binary);
                    break;
            }
        }

        public void Fail(Exception error)
        {
            Http.TryErrback(error);
            Binary.TryErrback(error);
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
}
