using System.Buffers;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.Keyspace;

/// <summary>
/// A client connection to one node: parses each frame strictly (any error, or a key or value over the limits of §9,
/// closes the connection without a reply), hands the request to the cluster, and writes the replies the cluster
/// sends it in the order they were made, from whichever thread made them.
/// </summary>
internal sealed class KeyspaceServerConnection : FramedProtocol<ReadOnlySequence<byte>>, IReplySink
{
    private readonly ClusterModel _cluster;
    private readonly int _node;
    private readonly StallingFrameDecoder _decoder;
    private readonly ILogger _logger;
    private readonly object _outGate = new();
    private List<(ServerReply Reply, bool Close)> _outbox = [];
    private List<(ServerReply Reply, bool Close)> _spare = [];
    private bool _flushPosted;
    private bool _closing;

    private KeyspaceServerConnection(ClusterModel cluster, int node, StallingFrameDecoder decoder, ILogger logger)
        : base(decoder)
    {
        (_cluster, _node, _decoder, _logger) = (cluster, node, decoder, logger);
    }

    public static KeyspaceServerConnection Create(ClusterModel cluster, int node, ILogger logger) => new(cluster, node, new StallingFrameDecoder(), logger);

    // After a rejection nothing more is read: commands pipelined behind it get no reply (§8.3).
    protected override bool Suspended => _closing || _decoder.Stalled;

    public override void ConnectionMade()
    {
        if (!_cluster.Connect(_node, this))
        {
            // The node is down: a connection that slipped in before the listener closed is dropped.
            Transport.AbortConnection();
        }
    }

    protected override void ConnectionLost(Exception reason) => _cluster.Disconnect(_node, this);

    protected override void FrameReceived(ReadOnlySequence<byte> frame)
    {
        var request = ServerRequests.Checked(KeyspaceRequest.Parse(frame));
        _cluster.Handle(_node, request, this);
    }

    protected override bool FrameError(ProtocolErrorException error)
    {
        // The server never reports an error in-band: it closes (§3, §9).
        _logger.LogDebug(error, "Closing a Keyspace connection that sent a bad frame");
        _closing = true;
        Transport.LoseConnection();
        return true;
    }

    public void Send(ServerReply reply, bool thenClose = false)
    {
        lock (_outGate)
        {
            _outbox.Add((reply, thenClose));
        }

        Deliver();
    }

    public void SendAll(List<ServerReply> replies)
    {
        lock (_outGate)
        {
            foreach (var reply in replies)
            {
                _outbox.Add((reply, false));
            }
        }

        Deliver();
    }

    public void Abort() => Transport.Loop.Execute(() =>
    {
        _closing = true;
        Transport.AbortConnection();
    });

    // On the loop the replies go out now (after any still waiting from other threads); elsewhere one post per burst.
    private void Deliver()
    {
        if (Transport.Loop.IsLoopThread)
        {
            Flush();
            return;
        }

        lock (_outGate)
        {
            if (_flushPosted)
            {
                return;
            }

            _flushPosted = true;
        }

        Transport.Loop.Post(static c => ((KeyspaceServerConnection)c!).Flush(), this);
    }

    private void Flush()
    {
        List<(ServerReply Reply, bool Close)> batch;
        lock (_outGate)
        {
            _flushPosted = false;
            batch = _outbox;
            _outbox = _spare;
            _spare = batch;
        }

        foreach (var (reply, close) in batch)
        {
            Write(reply, close);
        }

        batch.Clear();
    }

    private void Write(ServerReply reply, bool close)
    {
        if (!Connected || Transport.Disconnecting)
        {
            return;
        }

        KeyspaceFrameWriter.Write(Transport.Output, new KeyspaceReply { Type = (KeyspaceReplyType)reply.Kind, Id = reply.Id, Key = reply.Key, Value = reply.Value });
        if (close)
        {
            _closing = true;
            Transport.LoseConnection();
        }
    }
}
