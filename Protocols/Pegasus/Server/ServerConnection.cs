using System.Buffers;
using Microsoft.Extensions.Logging;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>A client connection to one of the embedded server's metas or replicas: frames requests, answers by seqid.</summary>
internal sealed class ServerConnection(PegasusServer server, bool meta, int index)
    : FramedProtocol<ReadOnlySequence<byte>>(ThftFrameDecoder.Requests(server.Options.MaxFrameBytes))
{
    private readonly ArrayBufferWriter<byte> _scratch = new();

    public bool IsMeta => meta;

    public int Index => index;

    public override void ConnectionMade() => server.Track(this, true);

    // A frame split across segments is rare (a buffer boundary): copying it then keeps the parser on one span.
    protected override void FrameReceived(ReadOnlySequence<byte> frame) => Handle(frame.IsSingleSegment ? frame.FirstSpan : frame.ToArray());

    protected override bool FrameError(ProtocolErrorException error)
    {
        // Not THFT, or a frame the server will not take: the real server drops the connection.
        server.Logger.LogDebug(error, "Dropping a Pegasus connection that sent a bad frame");
        Transport.AbortConnection();
        return true;
    }

    protected override void ConnectionLost(Exception reason) => server.Track(this, false);

    private void Handle(ReadOnlySpan<byte> frame)
    {
        var reader = new ThriftReader(frame);
        var (header, name, seqid) = ThftFrames.ReadRequest(ref reader);
        var (error, response, reply) = server.Dispatch(this, header, name, ref reader);
        if (reply)
        {
            ThftFrames.WriteResponse(Transport.Output, _scratch, error, name, seqid, error == DsnErrors.Ok ? response : null);
        }
    }
}
