using System.Buffers;
using Microsoft.Extensions.Logging;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>
/// One multiplexed connection to a meta or replica server on the reactor's
/// <see cref="ClientConnectionService{TProtocol, TRequest}"/>: connected lazily, again on demand after a loss, failing
/// fast while the server is unreachable. Requests are pipelined and matched to replies by seqid (replies may come out
/// of order). A lost connection or a request's own deadline settles the request with ERR_SESSION_RESET or
/// ERR_TIMEOUT, so callers retry by the usual Pegasus rules. Everything runs on the client's loop.
/// </summary>
internal sealed class PegasusSession
{
    private readonly PegasusOptions _options;
    private readonly ClientConnectionService<Connection, PendingCall> _service;
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private int _nextSeqid;

    public PegasusSession(Reactor reactor, EventLoop loop, string host, int port, PegasusOptions options)
    {
        Host = host;
        Port = port;
        _options = options;
        _service = new ClientConnectionService<Connection, PendingCall>(
            reactor,
            ClientConnectionOptions.From(options, connectLazily: true),
            PegasusErrors.Instance,
            $"{host}:{port}",
            (factory, onLoop) => reactor.ConnectTcp(host, port, factory, options.ConnectTimeout, loop: onLoop),
            () => new Connection(this),
            loop,
            PegasusTelemetry.Instance);
    }

    public string Host { get; }

    public int Port { get; }

    public string Address => $"{Host}:{Port}";

    /// <summary>Sends a request; the reply (or ERR_TIMEOUT / ERR_SESSION_RESET) settles the result. Loop thread.</summary>
    public Deferred<RpcResult<T>> Call<T>(RequestHeader header, string name, IThriftMessage args, TimeSpan timeout, ResponseDecoder<T> decode)
        where T : class
    {
        var call = new PendingCall<T>(this, header, name, args, decode);
        _service.Submit(call, timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout);
        return call.Result;
    }

    /// <summary>Sends a request that is never answered (clear_scanner). Dropped if not connected: the server expires contexts itself.</summary>
    public void CallOneWay(RequestHeader header, string name, IThriftMessage args)
    {
        if (_service.Connection is { } connection)
        {
            ThftFrames.WriteRequest(connection.Transport.Output, _scratch, header, name, ++_nextSeqid, args);
        }
    }

    /// <summary>Connects now, if not connected, and completes once connected.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken) => _service.ConnectAsync(cancellationToken);

    public void Close() => _ = _service.DisposeAsync();

    private sealed class Connection(PegasusSession session) : ClientProtocol<PendingCall>
    {
        private readonly Dictionary<int, PendingCall> _pending = [];
        private readonly ThftFrameDecoder _decoder = ThftFrameDecoder.Responses(session._options.MaxFrameBytes);
        private Action<ReadOnlySequence<byte>>? _dispatch;

        public override int InFlight => _pending.Count;

        protected override void Send(PendingCall call)
        {
            call.Seqid = ++session._nextSeqid;
            _pending[call.Seqid] = call;
            ThftFrames.WriteRequest(Transport.Output, session._scratch, call.Header, call.Name, call.Seqid, call.Args);
        }

        // Replies are matched by seqid, not order: a call whose deadline passed leaves the window at once.
        protected override void Forget(PendingCall call)
        {
            if (_pending.TryGetValue(call.Seqid, out var pending) && ReferenceEquals(pending, call))
            {
                _pending.Remove(call.Seqid);
            }
        }

        protected override IEnumerable<PendingCall> TakeInFlight()
        {
            var taken = _pending.Values.ToArray();
            _pending.Clear();
            return taken;
        }

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => DecodeFrames(_decoder, data, _dispatch ??= Dispatch);

        private void Dispatch(ReadOnlySequence<byte> frame)
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

            // A reply to a request that timed out already is dropped silently. A call is taken off only once its reply
            // was decoded, so one that fails to decode is still in flight and is failed by the loss rule.
            if (_pending.TryGetValue(seqid, out var call))
            {
                call.Complete(error, ref reader, hasResult);
                _pending.Remove(seqid);
                call.Answered = true;
                RequestAnswered();
            }
        }
    }

    private abstract class PendingCall(PegasusSession session, RequestHeader header, string name, IThriftMessage args) : ClientRequest
    {
        public RequestHeader Header { get; } = header;

        public string Name { get; } = name;

        public IThriftMessage Args { get; } = args;

        public int Seqid { get; set; }

        public override string Operation => Name;

        protected PegasusSession Session { get; } = session;

        public abstract void Complete(string error, ref ThriftReader reader, bool hasResult);
    }

    private sealed class PendingCall<T>(PegasusSession session, RequestHeader header, string name, IThriftMessage args, ResponseDecoder<T> decode)
        : PendingCall(session, header, name, args)
        where T : class
    {
        public Deferred<RpcResult<T>> Result { get; } = new();

        public override bool IsSettled => Result.Called;

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

            // Reported before the result is delivered: the caller's continuation may run inline, and is not the call's time.
            ReportSettled(error == DsnErrors.Ok ? null : error, error == DsnErrors.Timeout);
            Result.TryCallback(new RpcResult<T>(error, response, Session.Address));
        }

        // Pegasus callers retry by error code: a deadline is ERR_TIMEOUT, anything the connection did is ERR_SESSION_RESET.
        public override void Fail(Exception error)
        {
            ReportSettled(error);
            Result.TryCallback(new RpcResult<T>(error is ReactorTimeoutException ? DsnErrors.Timeout : DsnErrors.SessionReset, null, Session.Address, error));
        }
    }
}
