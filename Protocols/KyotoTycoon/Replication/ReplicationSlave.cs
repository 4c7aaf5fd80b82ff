using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The slave side of Kyoto Tycoon replication on one connection: sends the handshake, decodes log records, answers
/// every no-op with 0xB1, and remembers the last timestamp so a reconnect resumes without losing or repeating.
/// </summary>
internal sealed class ReplicationSlave(ReplicationFeed feed) : Protocol
{
    private bool _accepted;

    public override void ConnectionMade() => Transport.Write(ReplicationCodec.Handshake(feed.LastTimestamp, feed.ServerId, feed.WhiteSid));

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var reader = new SequenceReader<byte>(data);
        try
        {
            while (reader.TryPeek(out var magic))
            {
                var start = reader;
                if (!_accepted)
                {
                    reader.Advance(1);
                    if (magic != ReplicationCodec.Record)
                    {
                        feed.Refused(new KtException("replication", 0, "the master refused replication (no update log?)"));
                        Transport.LoseConnection();
                        return data.End;
                    }

                    _accepted = true;
                    feed.Connected();
                    continue;
                }

                if (!Next(ref reader, magic))
                {
                    reader = start;
                    break;
                }
            }
        }
        catch (ProtocolErrorException e)
        {
            feed.Malformed(e);
            Transport.AbortConnection();
            return data.End;
        }

        return reader.Position;
    }

    protected override void ConnectionLost(Exception reason) => feed.Lost(reason);

    private bool Next(ref SequenceReader<byte> reader, byte magic)
    {
        reader.Advance(1);
        if (!reader.TryReadBigEndian(out long ts))
        {
            return false;
        }

        if (magic == ReplicationCodec.NoOp)
        {
            Transport.Write([ReplicationCodec.Record]);
            return true;
        }

        if (magic != ReplicationCodec.Record)
        {
            throw new ProtocolErrorException($"Byte 0x{magic:X2} in a replication stream.");
        }

        if (!reader.TryReadBigEndian(out int size))
        {
            return false;
        }

        if ((uint)size > BinaryProtocol.MaxFieldBytes * 2L)
        {
            throw new ProtocolErrorException($"A replication record claims {(uint)size} bytes.");
        }

        if (reader.Remaining < (uint)size)
        {
            return false;
        }

        var message = reader.UnreadSequence.Slice(0, size).ToArray();
        reader.Advance(size);
        feed.Received((ulong)ts, message);
        return true;
    }
}
