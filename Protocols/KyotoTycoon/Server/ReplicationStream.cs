using System.Buffers.Binary;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The master side of one slave's replication session: log records after the slave's timestamp (filtered by the
/// SID rule, with a dummy record after 256 filtered in a row), then a no-op about every 100 ms while idle that the
/// slave must acknowledge with one 0xB1 byte before the next, or the session ends. It is the connection's producer:
/// a slave that reads slowly pauses it, so a backlog goes out as fast as the slave takes it, never all at once.
/// Loop thread.
/// </summary>
internal sealed class ReplicationStream(KtServerConnection connection, KtServer server, ulong timestamp, ushort sid, bool whiteSid) : IPushProducer
{
    private const int Batch = 512;

    private ulong _sent = timestamp;
    private int _filtered;
    private bool _acknowledged = true;
    private IDelayedCall? _keepAlive;
    private bool _stopped;
    private bool _paused;

    public void Pump()
    {
        if (_stopped)
        {
            return;
        }

        while (!_paused && !_stopped)
        {
            var records = server.LogAfter(_sent, Batch);
            foreach (var (ts, origin, message) in records)
            {
                var wanted = whiteSid ? origin == sid : origin != sid;
                if (wanted)
                {
                    Send(ts, message);
                    _filtered = 0;
                }
                else if (++_filtered >= 256)
                {
                    Send(ts, []);
                    _filtered = 0;
                }

                _sent = ts;
                if (_paused)
                {
                    break;
                }
            }

            if (records.Count < Batch)
            {
                break;
            }
        }

        _keepAlive ??= connection.Transport.Loop.CallLater(server.Options.ReplicationKeepAlive, KeepAlive);
    }

    /// <summary>The slave answered a no-op.</summary>
    public void Acknowledged()
    {
        _acknowledged = true;
        server.Acknowledged();
    }

    public void PauseProducing() => _paused = true;

    /// <summary>The slave caught up with what was sent: go on with the backlog.</summary>
    public void ResumeProducing()
    {
        _paused = false;
        Pump();
    }

    public void StopProducing() => Stop();

    public void Stop()
    {
        _stopped = true;
        if (_keepAlive is { Active: true } timer)
        {
            timer.Cancel();
        }
    }

    private void KeepAlive()
    {
        _keepAlive = null;
        if (_stopped)
        {
            return;
        }

        if (!_acknowledged)
        {
            // The slave did not answer the last no-op: the master ends the session.
            connection.Transport.LoseConnection();
            return;
        }

        _acknowledged = false;
        var noOp = new byte[9];
        noOp[0] = ReplicationCodec.NoOp;
        BinaryPrimitives.WriteUInt64BigEndian(noOp.AsSpan(1), server.NoOpTimestamp());
        connection.Transport.Write(noOp);
        _keepAlive = connection.Transport.Loop.CallLater(server.Options.ReplicationKeepAlive, KeepAlive);
    }

    private void Send(ulong ts, byte[] message)
    {
        var header = new byte[13];
        header[0] = ReplicationCodec.Record;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(1), ts);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(9), (uint)message.Length);
        connection.Transport.Write(header);
        connection.Transport.Write(message);
    }
}
