using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Decodes the replies of one client connection. HTTP and binary replies share the stream and a reply does not say
/// what it is, so the decoder is told, request by request, what to expect (<see cref="Expect"/>), and decodes
/// replies in that order; bytes arriving when nothing is awaited are a protocol error.
/// </summary>
internal sealed class KtReplyDecoder(long maxReplyBytes) : IFrameDecoder<KtReply>
{
    private readonly Queue<KtAwaited> _awaited = new();

    /// <summary>Replies announced and not decoded yet.</summary>
    public int Awaiting => _awaited.Count;

    /// <summary>A request was sent: its reply comes after those of the requests before it.</summary>
    public void Expect(KtAwaited awaited) => _awaited.Enqueue(awaited);

    /// <summary>Forgets every awaited reply: their requests were failed and the connection is going.</summary>
    public void Reset() => _awaited.Clear();

    /// <inheritdoc />
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out KtReply frame)
    {
        frame = default;
        if (buffer.IsEmpty)
        {
            return false;
        }

        if (!_awaited.TryPeek(out var next))
        {
            throw new ProtocolErrorException($"Kyoto Tycoon sent {buffer.Length} bytes nobody asked for.");
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!TryRead(ref reader, next, out frame))
        {
            return false;
        }

        _awaited.Dequeue();
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private bool TryRead(ref SequenceReader<byte> reader, KtAwaited next, out KtReply frame)
    {
        frame = default;
        bool failed;
        switch (next.Kind)
        {
            case KtConnection.Kind.Http:
                if (!HttpResponse.TryParse(ref reader, next.Head, maxReplyBytes, out var response))
                {
                    return false;
                }

                frame = new KtReply(response, null, false);
                return true;
            case KtConnection.Kind.BinaryCount:
                if (!BinaryProtocol.TryReadCount(ref reader, next.Magic, out var hits, out failed))
                {
                    return false;
                }

                frame = new KtReply(null, failed ? null : hits, failed);
                return true;
            case KtConnection.Kind.BinaryScript:
                if (!BinaryProtocol.TryReadPlayScript(ref reader, maxReplyBytes, out var output, out failed))
                {
                    return false;
                }

                frame = new KtReply(null, output, failed);
                return true;
            default:
                if (!BinaryProtocol.TryReadGetBulk(ref reader, maxReplyBytes, out var records, out failed))
                {
                    return false;
                }

                frame = new KtReply(null, records, failed);
                return true;
        }
    }
}
