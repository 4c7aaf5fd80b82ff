using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One keep-alive connection carrying pipelined HTTP RPC requests and binary commands; the server answers strictly
/// in order, so replies are matched first in, first out. A timed-out request keeps its place (its reply is read and
/// dropped) so the stream stays in step. Connecting, deadlines and losses are the connection service's. Loop thread only.
/// </summary>
internal sealed class KtConnection(KtOptions options) : ClientProtocol<KtCall>
{
    private readonly Queue<KtCall> _pending = new();
    private readonly KtReplyDecoder _decoder = new(options.MaxReplyBytes);
    private Action<KtReply>? _complete;

    /// <summary>What a reply is expected to look like.</summary>
    internal enum Kind
    {
        Http,
        BinaryCount,
        BinaryGetBulk,
        BinaryScript,
    }

    public override int InFlight => _pending.Count;

    protected override void Send(KtCall request)
    {
        request.Write(Transport.Output);
        if (!request.NoReply)
        {
            _pending.Enqueue(request);
            _decoder.Expect(request.Awaited);
        }
    }

    protected override IEnumerable<KtCall> TakeInFlight()
    {
        var taken = _pending.ToArray();
        _pending.Clear();
        _decoder.Reset();
        return taken;
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => DecodeFrames(_decoder, data, _complete ??= Complete);

    private void Complete(KtReply reply)
    {
        // Taken off only once delivered: a reply that fails to decode leaves its call in flight, failed by the loss rule.
        var call = _pending.Peek();
        call.Complete(reply);
        _pending.Dequeue();
        call.Answered = true;
        RequestAnswered();
    }
}
