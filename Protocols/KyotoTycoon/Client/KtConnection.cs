using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One keep-alive connection carrying pipelined HTTP RPC requests and binary commands; the server answers strictly
/// in order, so replies are matched first in, first out. A timed-out request keeps its place (its reply is read and
/// dropped) so the stream stays in step. Connecting, deadlines and losses are the connection service's. Loop thread only.
/// </summary>
internal sealed class KtConnection(KtOptions options) : ClientProtocol<KtRequest>
{
    private readonly Queue<KtRequest> _pending = new();

    /// <summary>What a reply is expected to look like.</summary>
    internal enum Kind
    {
        Http,
        BinaryCount,
        BinaryGetBulk,
        BinaryScript,
    }

    public override int InFlight => _pending.Count;

    protected override void Send(KtRequest request)
    {
        request.Write(Transport.Output);
        if (!request.NoReply)
        {
            _pending.Enqueue(request);
        }
    }

    protected override IEnumerable<KtRequest> TakeInFlight()
    {
        var taken = _pending.ToArray();
        _pending.Clear();
        return taken;
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var reader = new SequenceReader<byte>(data);
        try
        {
            while (_pending.TryPeek(out var head) && !reader.End)
            {
                if (!head.TryComplete(ref reader, options.MaxReplyBytes))
                {
                    break;
                }

                _pending.Dequeue();
                head.Answered = true;
                RequestAnswered();
            }

            if (_pending.Count == 0 && !reader.End)
            {
                throw new ProtocolErrorException($"Kyoto Tycoon sent {reader.Remaining} bytes nobody asked for.");
            }
        }
        catch (Exception e) when (e is ProtocolErrorException or FrameTooLargeException)
        {
            FailConnection(e);
            return data.End;
        }

        return reader.Position;
    }
}
