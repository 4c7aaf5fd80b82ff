using System.Buffers;
using Microsoft.Extensions.Logging;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>
/// One multiplexed connection to a meta or replica server, connected lazily and again after a loss. Requests are
/// pipelined and matched to replies by seqid (replies may come out of order). A lost connection or a request's own
/// timeout settles the request with ERR_SESSION_RESET or ERR_TIMEOUT, so callers retry by the usual rules.
/// Everything runs on the client's loop.
/// </summary>
internal sealed class PegasusSession
{
    private readonly Reactor _reactor;
    private readonly EventLoop _loop;
    private readonly PegasusOptions _options;
    private readonly Dictionary<int, PendingCall> _pending = [];
    private readonly List<PendingCall> _waiting = [];
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private Connection? _connection;
    private bool _connecting;
    private int _nextSeqid;

    public PegasusSession(Reactor reactor, EventLoop loop, string host, int port, PegasusOptions options)
    {
        _reactor = reactor;
        _loop = loop;
        Host = host;
        Port = port;
        _options = options;
    }

    public string Host { get; }

    public int Port { get; }

    public string Address => $"{Host}:{Port}";

    /// <summary>Sends a request; the reply (or ERR_TIMEOUT / ERR_SESSION_RESET) settles the result. Loop thread.</summary>
    public Deferred<RpcResult<T>> Call<T>(RequestHeader header, string name, IThriftMessage args, TimeSpan timeout, ResponseDecoder<T> decode)
        where T : class
    {
        var call = new PendingCall<T>(this, header, name, args, decode);
        call.Timer = _loop.CallLater(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, call.TimeOut);
        Send(call);
        return call.Result;
    }

    /// <summary>Sends a request that is never answered (clear_scanner). Dropped if not connected: the server expires contexts itself.</summary>
    public void CallOneWay(RequestHeader header, string name, IThriftMessage args)
    {
        if (_connection is { Connected: true } connection)
        {
            ThftFrames.WriteRequest(connection.Transport.Output, _scratch, header, name, ++_nextSeqid, args);
        }
    }

    public void Close() => _connection?.Transport.LoseConnection();

    private void Send(PendingCall call)
    {
        if (_connection is { Connected: true } connection && !connection.Transport.Disconnecting)
        {
            Write(connection, call);
            return;
        }

        _waiting.Add(call);
        Connect();
    }

    private void Write(Connection connection, PendingCall call)
    {
        call.Seqid = ++_nextSeqid;
        _pending[call.Seqid] = call;
        ThftFrames.WriteRequest(connection.Transport.Output, _scratch, call.Header, call.Name, call.Seqid, call.Args);
    }

    private void Connect()
    {
        if (_connecting)
        {
            return;
        }

        _connecting = true;
        var timeout = _options.OperationTimeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _options.OperationTimeout;
        _reactor.ConnectTcp(Host, Port, new SessionFactory(this), timeout, loop: _loop);
    }

    private void Connected(Connection connection)
    {
        _connecting = false;
        _connection = connection;
        var waiting = _waiting.ToArray();
        _waiting.Clear();
        foreach (var call in waiting)
        {
            if (!call.Settled)
            {
                Write(connection, call);
            }
        }
    }

    private void ConnectFailed(Exception reason)
    {
        _connecting = false;
        var waiting = _waiting.ToArray();
        _waiting.Clear();
        foreach (var call in waiting)
        {
            call.Reset($"cannot connect to {Address}: {reason.Message}");
        }
    }

    private void Lost(Connection connection, Exception reason)
    {
        if (ReferenceEquals(_connection, connection))
        {
            _connection = null;
        }

        var pending = _pending.Values.ToArray();
        _pending.Clear();
        foreach (var call in pending)
        {
            call.Reset($"the connection to {Address} was lost: {reason.Message}");
        }

        // Requests queued while it was closing go out on a new connection.
        if (_waiting.Count > 0)
        {
            Connect();
        }
    }

    private void Reply(string error, int seqid, ref ThriftReader reader, bool hasResult)
    {
        if (_pending.Remove(seqid, out var call))
        {
            call.Complete(error, ref reader, hasResult);
        }

        // Otherwise the request timed out already: drop the late reply silently.
    }

    private sealed class SessionFactory(PegasusSession session) : ClientFactory()
    {
        public override IProtocol? BuildProtocol(System.Net.EndPoint address) => new Connection(session);

        public override void ClientConnectionFailed(IConnector connector, Exception reason) => session.ConnectFailed(reason);
    }

    private sealed class Connection(PegasusSession session) : Protocol
    {
        private readonly ThftFrameDecoder _decoder = ThftFrameDecoder.Responses(session._options.MaxFrameBytes);

        public override void ConnectionMade() => session.Connected(this);

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            var buffer = data;
            try
            {
                while (Connected && _decoder.TryDecode(ref buffer, out var frame))
                {
                    Dispatch(frame);
                }
            }
            catch (ProtocolErrorException e)
            {
                session._reactor.Logger.LogWarning(e, "Pegasus server {Server} sent a malformed reply; closing the connection", session.Address);
                Transport.AbortConnection();
                return data.End;
            }

            return buffer.Start;
        }

        protected override void ConnectionLost(Exception reason) => session.Lost(this, reason);

        private void Dispatch(in ReadOnlySequence<byte> frame)
        {
            if (frame.IsSingleSegment)
            {
                Dispatch(frame.FirstSpan);
                return;
            }

            var copy = ArrayPool<byte>.Shared.Rent((int)frame.Length);
            try
            {
                frame.CopyTo(copy);
                Dispatch(copy.AsSpan(0, (int)frame.Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        private void Dispatch(ReadOnlySpan<byte> frame)
        {
            var reader = new ThriftReader(frame);
            var (error, _, seqid, hasResult) = ThftFrames.ReadResponse(ref reader);
            session.Reply(error, seqid, ref reader, hasResult);
        }
    }

    private abstract class PendingCall(PegasusSession session, RequestHeader header, string name, IThriftMessage args)
    {
        public RequestHeader Header { get; } = header;

        public string Name { get; } = name;

        public IThriftMessage Args { get; } = args;

        public int Seqid { get; set; }

        public IDelayedCall? Timer { get; set; }

        public abstract bool Settled { get; }

        protected PegasusSession Session { get; } = session;

        public abstract void Complete(string error, ref ThriftReader reader, bool hasResult);

        public abstract void Reset(string why);

        public abstract void TimeOut();
    }

    private sealed class PendingCall<T>(PegasusSession session, RequestHeader header, string name, IThriftMessage args, ResponseDecoder<T> decode)
        : PendingCall(session, header, name, args)
        where T : class
    {
        public Deferred<RpcResult<T>> Result { get; } = new();

        public override bool Settled => Result.Called;

        public override void Complete(string error, ref ThriftReader reader, bool hasResult)
        {
            T? response = null;
            if (error == DsnErrors.Ok)
            {
                if (!hasResult)
                {
                    throw new ProtocolErrorException($"{Name} was answered ERR_OK without a result struct.");
                }

                response = decode(ref reader);
            }

            Settle(new RpcResult<T>(error, response, Session.Address));
        }

        public override void Reset(string why) => Settle(new RpcResult<T>(DsnErrors.SessionReset, null, Session.Address));

        public override void TimeOut()
        {
            if (Seqid != 0)
            {
                Session._pending.Remove(Seqid);
            }

            Settle(new RpcResult<T>(DsnErrors.Timeout, null, Session.Address));
        }

        private void Settle(RpcResult<T> result)
        {
            if (Timer is { Active: true } timer)
            {
                timer.Cancel();
            }

            Result.TryCallback(result);
        }
    }
}
