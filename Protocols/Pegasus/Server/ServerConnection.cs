using System.Buffers;
using Microsoft.Extensions.Logging;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>A client connection to one of the embedded server's metas or replicas: frames requests, answers by seqid.</summary>
internal sealed class ServerConnection(PegasusServer server, bool meta, int index)
    : FramedProtocol<ReadOnlySequence<byte>>(new ThftRequestDecoder(server.Options.MaxFrameBytes))
{
    private readonly ArrayBufferWriter<byte> _scratch = new();

    public bool IsMeta => meta;

    public override void ConnectionMade() => server.Track(this, true);

    protected override void FrameReceived(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            Handle(frame.FirstSpan);
            return;
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(copy);
            Handle(copy.AsSpan(0, (int)frame.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

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
        var (error, response, reply) = server.Dispatch(meta, index, header, name, ref reader);
        if (reply)
        {
            ThftFrames.WriteResponse(Transport.Output, _scratch, error, name, seqid, error == DsnErrors.Ok ? response : null);
        }
    }
}
