using System.Buffers;
using Microsoft.Extensions.Logging;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>A client connection to one of the embedded server's metas or replicas: frames requests, answers by seqid.</summary>
internal sealed class ServerConnection(PegasusServer server, bool meta, int index) : Protocol
{
    private readonly ArrayBufferWriter<byte> _scratch = new();

    public bool IsMeta => meta;

    public override void ConnectionMade() => server.Track(this, true);

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var consumed = 0L;
        try
        {
            while (Connected && !Transport.Disconnecting)
            {
                var rest = data.Slice(consumed);
                var length = ThftFrames.RequestLength(rest, server.Options.MaxFrameBytes);
                if (length == 0)
                {
                    break;
                }

                var frame = rest.Slice(0, length);
                Handle(frame.IsSingleSegment ? frame.FirstSpan : frame.ToArray());
                consumed += length;
            }
        }
        catch (Exception e) when (e is ProtocolErrorException or FrameTooLargeException)
        {
            // Not THFT, or a frame the server will not take: the real server drops the connection.
            server.Logger.LogDebug(e, "Dropping a Pegasus connection that sent a bad frame");
            Transport.AbortConnection();
            return data.End;
        }

        return data.GetPosition(consumed);
    }

    protected override void ConnectionLost(Exception reason) => server.Track(this, false);

    private void Handle(ReadOnlySpan<byte> frame)
    {
        var reader = new ThriftReader(frame);
        var (header, name, seqid) = ThftFrames.ReadRequest(ref reader);
        var (error, response, reply) = server.Dispatch(meta, index, header, name, ref reader);
        if (reply)
        {
            ThftFrames.WriteResponse(Transport.Output, _scratch, error, name, seqid, error == DsnErrors.Ok ? response : null);
        }
    }
}
