using System.Buffers;
using System.Text;

namespace ReactiveKv.Amqp;

/// <summary>
/// One AMQP connection on the reactor: the handshake (protocol header, start/start-ok, tune/tune-ok, open), channels
/// opened on first use (then confirm mode and prefetch as the channel asks), synchronous methods answered in order
/// per channel, confirms by sequence number, messages assembled from their frames, and heartbeats sent and checked
/// on the loop's clock whatever the application is doing. While the broker blocks the connection, what is sent
/// waits here, bounded.
/// </summary>
internal sealed class AmqpProtocol(AmqpOptions options, IAmqpConnectionOwner owner, AmqpErrors errors, string server) : ClientProtocol<AmqpCommand>
{
    private static long s_epochs;
    private readonly AmqpFrameDecoder _decoder = new();
    private readonly Dictionary<ushort, ChannelSession> _sessions = [];
    private Action<AmqpFrame>? _onFrame;
    private Action? _answeredAtEndOfTurn;
    private Deferred<IAmqpMethod>? _handshakeReply;
    private IDelayedCall? _heartbeatTimer;
    private IDelayedCall? _handshakeTimer;
    private DateTimeOffset _lastReceived;
    private int _inFlight;
    private bool _open;
    private bool _answeredPending;
    private bool _ackFlushPending;
    private Action? _flushAcks;

    /// <summary>The negotiated heartbeat interval (zero: none).</summary>
    public TimeSpan Heartbeat { get; private set; }

    /// <summary>The negotiated largest frame.</summary>
    public uint FrameMax { get; private set; } = AmqpConstants.FrameMinSize;

    /// <summary>The negotiated highest channel number.</summary>
    public ushort ChannelMax { get; private set; }

    /// <summary>What the broker said about itself in connection.start.</summary>
    public FieldTable? ServerProperties { get; private set; }

    public override int InFlight => _inFlight;

    /// <summary>The session a channel has on this connection, if it is open here.</summary>
    public ChannelSession? Session(AmqpChannel channel) => _sessions.GetValueOrDefault(channel.Number);

    /// <summary>Sends a recovery command ahead of the backlog (topology replay).</summary>
    public void SendRecovery(AmqpCommand command) => SendDuringHandshake(command);

    /// <summary>Says goodbye (connection.close 200) so the broker logs a clean close; the service then closes the socket.</summary>
    public void Close()
    {
        if (Usable && _open)
        {
            // Acks held for this turn go first: after connection.close the broker reads nothing more, and requeues.
            foreach (var session in _sessions.Values)
            {
                WriteHeldAcks(session);
            }

            WriteConnection(new ConnectionClose { ReplyCode = 200, ReplyText = "Goodbye" });
        }
    }

    protected override async Task HandshakeAsync()
    {
        _lastReceived = Transport.Loop.Now;
        // A broker that accepts and never answers (hung, or not AMQP) must not hold the handshake forever.
        _handshakeTimer = Transport.Loop.CallLater(options.ConnectTimeout, () =>
        {
            _handshakeTimer = null;
            FailConnection(new TimeoutException($"The broker at {server} accepted the connection but did not complete the AMQP handshake within {options.ConnectTimeout.TotalMilliseconds:0} ms (ConnectTimeout)."));
        });
        AmqpFrameWriter.WriteProtocolHeader(Transport.Output);
        var start = await Expect<ConnectionStart>();
        ServerProperties = start.ServerProperties;
        WriteConnection(StartOk(start));
        var tune = await Expect<ConnectionTune>();
        Tune(tune);
        WriteConnection(new ConnectionTuneOk { ChannelMax = ChannelMax, FrameMax = FrameMax, Heartbeat = (ushort)Heartbeat.TotalSeconds });
        WriteConnection(new ConnectionOpen { VirtualHost = options.VirtualHost });
        await Expect<ConnectionOpenOk>();
        StopHandshakeTimer();
        _open = true;
        StartHeartbeats();
        await owner.RecoverAsync(this);
    }

    protected override void Send(AmqpCommand command) => Write(command);

    protected override IEnumerable<AmqpCommand> TakeInFlight()
    {
        StopHeartbeats();
        var taken = new List<AmqpCommand>();
        foreach (var session in _sessions.Values)
        {
            DropHeldAcks(session);
            taken.AddRange(session.Awaiting);
            taken.AddRange(session.UnconfirmedInOrder());
        }

        _sessions.Clear();
        _inFlight = 0;
        return taken;
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        _lastReceived = Transport.Loop.Now;
        return DecodeFrames(_decoder, data, _onFrame ??= OnFrame);
    }

    protected override void OnConnectionLost(Exception reason)
    {
        StopHeartbeats();
        StopHandshakeTimer();
        _handshakeReply?.TryErrback(reason);
        if (_open)
        {
            _open = false;
            owner.ConnectionLost(reason);
        }
    }

    private ConnectionStartOk StartOk(ConnectionStart start)
    {
        var mechanism = options.UseExternalAuth ? "EXTERNAL" : "PLAIN";
        if (!start.Mechanisms.Split(' ').Contains(mechanism))
        {
            throw new AmqpConnectionException($"The broker at {server} does not offer {mechanism} authentication (it offers: {start.Mechanisms}).", false);
        }

        return new ConnectionStartOk
        {
            ClientProperties = ClientProperties(),
            Mechanism = mechanism,
            Response = options.UseExternalAuth ? [] : Encoding.UTF8.GetBytes($"\0{options.UserName}\0{options.Password}"),
            Locale = "en_US",
        };
    }

    private FieldTable ClientProperties()
    {
        var capabilities = new FieldTable
        {
            ["publisher_confirms"] = true,
            ["exchange_exchange_bindings"] = true,
            ["basic.nack"] = true,
            ["consumer_cancel_notify"] = true,
            ["connection.blocked"] = true,
            ["authentication_failure_close"] = true,
            ["per_consumer_qos"] = true,
        };
        var properties = new FieldTable
        {
            ["product"] = "ReactiveKv.Amqp",
            ["version"] = typeof(AmqpProtocol).Assembly.GetName().Version?.ToString() ?? "0",
            ["platform"] = ".NET",
            ["capabilities"] = capabilities,
        };
        if (options.ConnectionName is { } name)
        {
            properties["connection_name"] = name;
        }

        return properties;
    }

    // Each side's 0 means "no limit"; otherwise the lower value wins (RabbitMQ's negotiation rule).
    private void Tune(ConnectionTune tune)
    {
        ChannelMax = (ushort)Negotiate(tune.ChannelMax, options.ChannelMax);
        FrameMax = Negotiate(tune.FrameMax, options.FrameMax);
        Heartbeat = TimeSpan.FromSeconds(Negotiate(tune.Heartbeat, (uint)options.Heartbeat.TotalSeconds));
        if (FrameMax is > 0 and < AmqpConstants.FrameMinSize)
        {
            FrameMax = AmqpConstants.FrameMinSize;
        }

        if (FrameMax != 0)
        {
            _decoder.MaxFrameSize = FrameMax;
            return;
        }

        // Both sides said 0 ("no limit"): a frame is still never allowed to be larger than the largest body this
        // client accepts, or one 4 GiB header would have the connection buffer whatever follows it.
        _decoder.MaxFrameSize = (uint)Math.Clamp(options.MaxBodySize + AmqpConstants.FrameOverhead, AmqpConstants.FrameMinSize, uint.MaxValue);
        _decoder.LimitWording = ("AmqpOptions.MaxBodySize plus the frame overhead (frame_max was negotiated as 0, no limit, so the largest body bounds a frame)",
            "raise AmqpOptions.MaxBodySize, or set AmqpOptions.FrameMax, to accept it");
    }

    private static uint Negotiate(uint offered, uint wanted) => offered == 0 || wanted == 0 ? Math.Max(offered, wanted) : Math.Min(offered, wanted);

    private Deferred<T> Expect<T>()
        where T : class, IAmqpMethod
    {
        var reply = _handshakeReply = new Deferred<IAmqpMethod>();
        return reply.Then(method => method as T ?? throw new AmqpFrameException($"The broker at {server} sent {method.Name} during the handshake where {typeof(T).Name} was due."));
    }

    private void WriteConnection(IAmqpMethod method) => AmqpFrameWriter.WriteMethod(Transport.Output, 0, method);

    private void StartHeartbeats()
    {
        if (Heartbeat > TimeSpan.Zero)
        {
            _heartbeatTimer = Transport.Loop.CallLater(Heartbeat / 2, HeartbeatTick);
        }
    }

    // Stopped at most once per timer: the loss path runs it twice (TakeInFlight, then OnConnectionLost), and from
    // inside the tick itself when the tick fails the connection; cancelling a call that ran or was cancelled throws.
    private void StopHeartbeats()
    {
        if (_heartbeatTimer is { Active: true } timer)
        {
            timer.Cancel();
        }

        _heartbeatTimer = null;
    }

    private void StopHandshakeTimer()
    {
        if (_handshakeTimer is { Active: true } timer)
        {
            timer.Cancel();
        }

        _handshakeTimer = null;
    }

    // Sent every half interval, on the loop: a busy application (its callbacks run off the loop) cannot starve it.
    private void HeartbeatTick()
    {
        _heartbeatTimer = null;
        if (!Usable)
        {
            return;
        }

        var silent = Transport.Loop.Now - _lastReceived;
        if (silent >= Heartbeat * 2)
        {
            FailConnection(new AmqpHeartbeatException($"Nothing came from the broker at {server} for {silent.TotalSeconds:0.#} s, two heartbeat intervals of {Heartbeat.TotalSeconds:0} s: the connection is considered dead.", Heartbeat, silent));
            return;
        }

        AmqpFrameWriter.WriteHeartbeat(Transport.Output);
        _heartbeatTimer = Transport.Loop.CallLater(Heartbeat / 2, HeartbeatTick);
    }

    private void Write(AmqpCommand command)
    {
        var session = Open(command.Channel);
        if (command.DeliveryEpoch >= 0 && command.DeliveryEpoch != session.Epoch)
        {
            Settle(command, errors.Stale(command.Method.Name, command.Method is BasicAck a ? a.DeliveryTag : command.Method is BasicNack n ? n.DeliveryTag : ((BasicReject)command.Method).DeliveryTag));
            return;
        }

        if (command.Method is BasicAck { Multiple: false } single && session.Acks.TryHold(single.DeliveryTag, command))
        {
            FlushAcksAtEndOfTurn();
            return;
        }

        // Nothing overtakes a held ack on its channel.
        WriteHeldAcks(session);
        var kind = command.Kind == AmqpReplyKind.Confirm && !session.Confirming ? AmqpReplyKind.None : command.Kind;
        if (command.Method is BasicPublish publish)
        {
            AmqpFrameWriter.WritePublish(Transport.Output, session.Number, publish, command.Properties, command.Body, FrameMax);
        }
        else
        {
            AmqpFrameWriter.WriteMethod(Transport.Output, session.Number, command.Method);
            SettledDeliveries(session, command.Method);
        }

        switch (kind)
        {
            case AmqpReplyKind.Method:
                session.Awaiting.Enqueue(command);
                _inFlight++;
                break;
            case AmqpReplyKind.Confirm:
                session.Unconfirmed.Add(session.NextPublishSeq++, command);
                _inFlight++;
                break;
            default:
                if (session.Confirming && command.Method is BasicPublish)
                {
                    session.NextPublishSeq++;
                }

                Settle(command, null);
                break;
        }
    }

    private static void SettledDeliveries(ChannelSession session, IAmqpMethod method)
    {
        switch (method)
        {
            case BasicAck ack:
                session.Acks.Settled(ack.DeliveryTag, ack.Multiple);
                break;
            case BasicNack nack:
                session.Acks.Settled(nack.DeliveryTag, nack.Multiple);
                break;
            case BasicReject reject:
                session.Acks.Settled(reject.DeliveryTag, multiple: false);
                break;
            case BasicRecover or BasicRecoverAsync:
                // The broker hands every unacknowledged delivery out again under a new tag: the old tags are void.
                session.Acks.Forget();
                break;
        }
    }

    private void FlushAcksAtEndOfTurn()
    {
        if (!_ackFlushPending)
        {
            _ackFlushPending = true;
            Transport.Loop.RunAtEndOfTurn(_flushAcks ??= () =>
            {
                _ackFlushPending = false;
                foreach (var session in _sessions.Values)
                {
                    WriteHeldAcks(session);
                }
            });
        }
    }

    private void WriteHeldAcks(ChannelSession session)
    {
        if (!session.Acks.HasHeld)
        {
            return;
        }

        var (ack, settles) = session.Acks.TakeHeld();
        if (Usable)
        {
            AmqpFrameWriter.WriteMethod(Transport.Output, session.Number, ack);
        }

        foreach (var command in settles)
        {
            Settle(command, Usable ? null : errors.Stale(command.Method.Name, ((BasicAck)command.Method).DeliveryTag));
        }
    }

    // Acks held for a session that ended before its turn did were never written; the broker requeues those deliveries.
    private void DropHeldAcks(ChannelSession session)
    {
        foreach (var command in session.Acks.DropHeld())
        {
            Settle(command, errors.Stale(command.Method.Name, ((BasicAck)command.Method).DeliveryTag));
        }
    }

    // A channel opens on its first command on this connection; confirm mode and prefetch follow at once, pipelined.
    private ChannelSession Open(AmqpChannel channel)
    {
        if (_sessions.TryGetValue(channel.Number, out var session))
        {
            return session;
        }

        session = new ChannelSession(channel, Interlocked.Increment(ref s_epochs));
        _sessions.Add(channel.Number, session);
        WriteInternal(session, new ChannelOpen());
        if (channel.Confirms)
        {
            WriteInternal(session, new ConfirmSelect());
            session.Confirming = true;
        }

        if (channel.Prefetch is { } prefetch)
        {
            WriteInternal(session, new BasicQos { PrefetchCount = prefetch });
        }

        return session;
    }

    private void WriteInternal(ChannelSession session, IAmqpMethod method)
    {
        var command = new AmqpCommand(session.Channel, method, AmqpReplyKind.Method) { Internal = true };
        AmqpFrameWriter.WriteMethod(Transport.Output, session.Number, method);
        session.Awaiting.Enqueue(command);
        _inFlight++;
    }

    private void Settle(AmqpCommand command, Exception? error)
    {
        command.Answered = true;
        if (error is null)
        {
            command.Succeed(null);
        }
        else
        {
            command.Fail(error);
        }

        AnsweredAtEndOfTurn();
    }

    // Commands settled as they are written retire their deadlines in one pass per loop turn, not one per command.
    private void AnsweredAtEndOfTurn()
    {
        if (!_answeredPending)
        {
            _answeredPending = true;
            Transport.Loop.RunAtEndOfTurn(_answeredAtEndOfTurn ??= () =>
            {
                _answeredPending = false;
                RequestAnswered();
            });
        }
    }

    private void OnFrame(AmqpFrame frame)
    {
        switch (frame.Type)
        {
            case AmqpFrameType.Heartbeat:
                return;
            case AmqpFrameType.Method when frame.Channel == 0:
                ConnectionMethod(AmqpMethodDecoder.Decode(frame.Payload));
                return;
            case AmqpFrameType.Method:
                ChannelMethod(SessionOf(frame), AmqpMethodDecoder.Decode(frame.Payload));
                return;
            case AmqpFrameType.Header:
                ContentHeader(SessionOf(frame), frame.Payload);
                return;
            default:
                ContentBody(SessionOf(frame), frame.Payload);
                return;
        }
    }

    private ChannelSession SessionOf(AmqpFrame frame) =>
        frame.Channel != 0 && _sessions.TryGetValue(frame.Channel, out var session)
            ? session
            : throw new AmqpFrameException($"The broker at {server} sent a {frame.Type} frame on channel {frame.Channel}, which is not open.");

    private void ConnectionMethod(IAmqpMethod method)
    {
        switch (method)
        {
            case ConnectionClose close:
                WriteConnection(new ConnectionCloseOk());
                var closed = new AmqpBrokerClosedException(close.ReplyCode, close.ReplyText, close.FailingClassId, close.FailingMethodId);
                _handshakeReply?.TryErrback(closed);
                CloseConnection(closed);
                return;
            case ConnectionBlocked blocked:
                // What waits stays in the service's backlog (bounded by MaxBacklog) until unblocked; never written,
                // it goes out on the next connection if this one is lost meanwhile.
                HoldRequests(true);
                owner.BlockedChanged(blocked.Reason);
                return;
            case ConnectionUnblocked:
                owner.BlockedChanged(null);
                HoldRequests(false);
                return;
            case ConnectionCloseOk:
                return;
            default:
                if (!_open && _handshakeReply is { } waiting)
                {
                    _handshakeReply = null;
                    waiting.TryCallback(method);
                    return;
                }

                throw new AmqpFrameException($"The broker at {server} sent {method.Name} on channel 0 after the handshake.");
        }
    }

    private void ChannelMethod(ChannelSession session, IAmqpMethod method)
    {
        if (session.ContentMethod is not null)
        {
            throw new AmqpFrameException($"The broker at {server} sent {method.Name} on channel {session.Number} where the content of {session.ContentMethod.Name} was due.");
        }

        switch (method)
        {
            case { HasContent: true }:
                session.ContentMethod = method;
                return;
            case ChannelClose close:
                ChannelClosed(session, close);
                return;
            case BasicAck ack:
                Confirmed(session, ack.DeliveryTag, ack.Multiple, nacked: false);
                return;
            case BasicNack nack:
                Confirmed(session, nack.DeliveryTag, nack.Multiple, nacked: true);
                return;
            case BasicCancel cancel:
                owner.ConsumerCancelled(session, cancel.ConsumerTag);
                return;
            case ChannelFlow flow:
                AmqpFrameWriter.WriteMethod(Transport.Output, session.Number, new ChannelFlowOk { Active = flow.Active });
                return;
            default:
                Answer(session, method, method);
                return;
        }
    }

    private void Answer(ChannelSession session, IAmqpMethod reply, object? result)
    {
        if (TakeAnswered(session, reply) is not { } command)
        {
            session.Awaiting.TryPeek(out var waiting);
            throw new AmqpFrameException($"The broker at {server} sent {reply.Name} on channel {session.Number}, which answers nothing sent there{(waiting is null ? "" : $" ({waiting.Method.Name} is waiting)")}.");
        }

        if (reply is BasicGetOk got && command.Method is BasicGet { NoAck: false })
        {
            session.Acks.Delivered(got.DeliveryTag);
        }

        _inFlight--;
        command.Answered = true;
        command.Succeed(result);
        RequestAnswered();
    }

    // The replies of a channel come in the order of its methods, except that RabbitMQ sends consume-ok and cancel-ok
    // from the queue's process, through the channel's mailbox: the reply of a method sent after them can overtake
    // them. So a reply may pass waiting consumes and cancels, which are matched by their consumer tag.
    private static AmqpCommand? TakeAnswered(ChannelSession session, IAmqpMethod reply)
    {
        AmqpCommand? answered = null;
        foreach (var command in session.Awaiting)
        {
            if (command.IsAnsweredBy(reply) && SameConsumer(command.Method, reply))
            {
                answered = command;
                break;
            }

            if (command.Method is not (BasicConsume or BasicCancel))
            {
                return null;
            }
        }

        if (answered is null)
        {
            return null;
        }

        if (ReferenceEquals(session.Awaiting.Peek(), answered))
        {
            session.Awaiting.Dequeue();
            return answered;
        }

        for (var i = session.Awaiting.Count; i > 0; i--)
        {
            var command = session.Awaiting.Dequeue();
            if (!ReferenceEquals(command, answered))
            {
                session.Awaiting.Enqueue(command);
            }
        }

        return answered;
    }

    private static bool SameConsumer(IAmqpMethod sent, IAmqpMethod reply) => (sent, reply) switch
    {
        (BasicConsume consume, BasicConsumeOk ok) => consume.ConsumerTag.Length == 0 || consume.ConsumerTag == ok.ConsumerTag,
        (BasicCancel cancel, BasicCancelOk ok) => cancel.ConsumerTag == ok.ConsumerTag,
        _ => true,
    };

    private void Confirmed(ChannelSession session, ulong tag, bool multiple, bool nacked)
    {
        if (!session.Confirming)
        {
            throw new AmqpFrameException($"The broker at {server} sent a confirm on channel {session.Number}, which is not in confirm mode.");
        }

        // Sequence numbers were handed out in order, so a multiple confirm covers a range: no sorting, no allocation.
        var settled = 0;
        if (!multiple)
        {
            if (session.Unconfirmed.Remove(tag, out var single))
            {
                SettleConfirm(single, nacked);
                settled++;
            }
        }
        else
        {
            var last = Math.Min(tag, session.NextPublishSeq - 1);
            for (var seq = session.OldestUnconfirmed; seq <= last; seq++)
            {
                if (session.Unconfirmed.Remove(seq, out var command))
                {
                    SettleConfirm(command, nacked);
                    settled++;
                }
            }
        }

        session.SkipConfirmed();
        _inFlight -= settled;
        if (settled > 0)
        {
            RequestAnswered();
        }
    }

    private void SettleConfirm(AmqpCommand command, bool nacked)
    {
        command.Answered = true;
        if (nacked)
        {
            command.Fail(errors.Nacked(command.Operation));
        }
        else if (command.ReturnedWith is { } returned)
        {
            command.Fail(returned);
        }
        else
        {
            command.Succeed(null);
        }
    }

    private void ChannelClosed(ChannelSession session, ChannelClose close)
    {
        AmqpFrameWriter.WriteMethod(Transport.Output, session.Number, new ChannelCloseOk());
        _sessions.Remove(session.Number);
        DropHeldAcks(session);
        var error = errors.ChannelError(session.Number, close);
        var culpritFound = false;
        foreach (var command in session.Awaiting.Concat(session.UnconfirmedInOrder()))
        {
            var culprit = !culpritFound && command.Method.ClassId == close.FailingClassId && command.Method.MethodId == close.FailingMethodId;
            culpritFound |= culprit;
            command.Answered = true;
            command.Fail(errors.ChannelClosed(command.Operation, session.Number, error, culprit));
        }

        _inFlight -= session.Pending;
        owner.ChannelClosed(session, error);
        RequestAnswered();
    }

    private void ContentHeader(ChannelSession session, ReadOnlySequence<byte> payload)
    {
        if (session.ContentMethod is null || session.Body is not null)
        {
            throw new AmqpFrameException($"The broker at {server} sent a content header on channel {session.Number} where none was due.");
        }

        var header = AmqpContentHeader.Decode(payload);
        if (header.BodySize > (ulong)options.MaxBodySize)
        {
            throw new AmqpFrameException($"The broker at {server} announced a message body of {header.BodySize} bytes on channel {session.Number}, above MaxBodySize ({options.MaxBodySize} bytes; raise AmqpOptions.MaxBodySize to accept it).");
        }

        session.ContentProperties = header.Properties;
        session.Body = header.BodySize == 0 ? [] : new byte[header.BodySize];
        session.BodyFilled = 0;
        if (header.BodySize == 0)
        {
            ContentComplete(session);
        }
    }

    private void ContentBody(ChannelSession session, ReadOnlySequence<byte> payload)
    {
        if (session.Body is not { } body || session.BodyFilled + payload.Length > body.Length)
        {
            throw new AmqpFrameException($"The broker at {server} sent {payload.Length} body bytes on channel {session.Number} beyond the content announced.");
        }

        payload.CopyTo(body.AsSpan(session.BodyFilled));
        session.BodyFilled += (int)payload.Length;
        if (session.BodyFilled == body.Length)
        {
            ContentComplete(session);
        }
    }

    private void ContentComplete(ChannelSession session)
    {
        var method = session.ContentMethod!;
        var properties = session.ContentProperties ?? new BasicProperties();
        var body = session.Body!;
        session.ContentMethod = null;
        session.ContentProperties = null;
        session.Body = null;
        switch (method)
        {
            case BasicDeliver deliver:
                owner.Delivered(session, deliver, properties, body);
                break;
            case BasicReturn returned:
                MarkReturned(session, returned);
                owner.Returned(session, returned, properties, body);
                break;
            case BasicGetOk got:
                Answer(session, got, new AmqpDelivery(session.Channel, session.Epoch, got.DeliveryTag, got.Redelivered, got.Exchange, got.RoutingKey, properties, body, null, got.MessageCount));
                break;
            default:
                throw new AmqpFrameException($"The broker at {server} sent content after {method.Name}.");
        }
    }

    // A return carries no sequence number; the broker sends it before the ack of the same publish, and routes a
    // channel's publishes in order, so it belongs to the oldest unconfirmed mandatory publish with its exchange and key.
    private void MarkReturned(ChannelSession session, BasicReturn returned)
    {
        foreach (var command in session.UnconfirmedInOrder())
        {
            if (command.ReturnedWith is null && command.Method is BasicPublish { Mandatory: true } p && p.Exchange == returned.Exchange && p.RoutingKey == returned.RoutingKey)
            {
                command.ReturnedWith = errors.Returned(returned);
                return;
            }
        }
    }
}
