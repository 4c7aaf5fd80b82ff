using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The slave side of Kyoto Tycoon replication on one connection: sends the handshake, decodes log records, answers
/// every no-op with 0xB1, and remembers the last timestamp so a reconnect resumes without losing or repeating.
/// </summary>
internal sealed class ReplicationSlave(ReplicationFeed feed)
    : FramedProtocol<ReplicationFrame>(new ReplicationDecoder(BinaryProtocol.MaxFieldBytes * 2L))
{
    public override void ConnectionMade() => Transport.Write(ReplicationCodec.Handshake(feed.LastTimestamp, feed.ServerId, feed.WhiteSid));

    protected override void FrameReceived(ReplicationFrame frame)
    {
        switch (frame.Kind)
        {
            case ReplicationFrameKind.Accepted:
                feed.Connected();
                break;
            case ReplicationFrameKind.Refused:
                feed.Refused(new KtException("replication", 0, "the master refused replication (no update log?)"));
                Transport.LoseConnection();
                break;
            case ReplicationFrameKind.NoOp:
                Transport.Write([ReplicationCodec.Record]);
                break;
            default:
                feed.Received(frame.Timestamp, frame.Message.ToArray());
                break;
        }
    }

    protected override bool FrameError(ProtocolErrorException error)
    {
        feed.Malformed(error);
        Transport.AbortConnection();
        return true;
    }

    protected override void ConnectionLost(Exception reason) => feed.Lost(reason);
}
