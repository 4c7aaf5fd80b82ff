using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// A small AMQP 0-9-1 broker on the reactor for fault tests: listens on 127.0.0.1:0, does RabbitMQ's handshake
/// (connection.start offering PLAIN, tune with <see cref="FrameMax"/>/<see cref="Heartbeat"/>/<see cref="ChannelMax"/>,
/// open-ok), answers channel.open and the simple methods (declares, binds, qos, confirm.select, publish with an ack
/// in confirm mode, get from an in-memory queue), sends heartbeats, and can be scripted to misbehave: through
/// <see cref="OnMethod"/> (answer a method with anything, raw bytes included) and the session's helpers (close the
/// connection or one channel, block, go silent, stop heartbeats).
/// </summary>
internal sealed class FakeAmqpBroker : IAsyncDisposable
{
    private readonly IListeningPort _port;
    private readonly ConcurrentQueue<FakeAmqpSession> _sessions = new();
    private readonly System.Threading.Channels.Channel<FakeAmqpSession> _opened = System.Threading.Channels.Channel.CreateUnbounded<FakeAmqpSession>();

    public FakeAmqpBroker(Reactor reactor)
    {
        _port = reactor.ListenTcp(0, new ServerFactory(() =>
        {
            var session = new FakeAmqpSession(this);
            _sessions.Enqueue(session);
            return session;
        }));
    }

    public int Port => _port.Port;

    /// <summary>frame_max offered in connection.tune.</summary>
    public uint FrameMax { get; set; } = AmqpConstants.DefaultFrameMax;

    /// <summary>Heartbeat (seconds) offered in connection.tune; 0 offers none.</summary>
    public ushort Heartbeat { get; set; }

    /// <summary>channel_max offered in connection.tune.</summary>
    public ushort ChannelMax { get; set; } = 2047;

    /// <summary>Accept connections and never answer a byte (the handshake must time out).</summary>
    public bool Silent { get; set; }

    /// <summary>Replaces connection.start's frame on the next connections (a malformed greeting); null sends the normal one.</summary>
    public Func<byte[]?>? StartFrame { get; set; }

    /// <summary>
    /// Sees every method a client sends on a channel (not channel 0) before the default answer; return true when it
    /// answered (or chose not to), false for the default. Runs on the loop.
    /// </summary>
    public Func<FakeAmqpSession, ushort, IAmqpMethod, bool>? OnMethod { get; set; }

    /// <summary>Sees every method a client sends on channel 0 before the default answer; return true when it answered. Runs on the loop.</summary>
    public Func<FakeAmqpSession, IAmqpMethod, bool>? OnConnectionMethod { get; set; }

    /// <summary>Every connection accepted so far, oldest first.</summary>
    public IReadOnlyList<FakeAmqpSession> Sessions => [.. _sessions];

    /// <summary>Messages published to the default exchange, by queue (routing key).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(BasicProperties Properties, byte[] Body)>> Queues { get; } = new();

    public string Url(string vhost = "%2f") => $"amqp://guest:guest@127.0.0.1:{Port}/{vhost}";

    /// <summary>Options for a client of this broker: fast reconnects, short timeouts.</summary>
    public AmqpOptions Options(TimeSpan? heartbeat = null) => AmqpOptions.Parse(Url()) with
    {
        Heartbeat = heartbeat ?? TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        OperationTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
    };

    /// <summary>The next connection to finish its handshake (open-ok sent).</summary>
    public async Task<FakeAmqpSession> NextOpenedAsync() => await _opened.Reader.ReadAsync().AsTask().Within();

    internal void Opened(FakeAmqpSession session) => _opened.Writer.TryWrite(session);

    public ValueTask DisposeAsync() => new(_port.StopListening().ToTask());

    /// <summary>The frame bytes of <paramref name="method"/> on <paramref name="channel"/>.</summary>
    public static byte[] MethodFrame(ushort channel, IAmqpMethod method)
    {
        var output = new ArrayBufferWriter<byte>();
        AmqpFrameWriter.WriteMethod(output, channel, method);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A frame header (type, channel, size) with nothing after it: how a peer announces a frame.</summary>
    public static byte[] FrameHeader(byte type, ushort channel, uint size)
    {
        var bytes = new byte[7];
        bytes[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1), channel);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(3), size);
        return bytes;
    }
}

/// <summary>One client connection to the <see cref="FakeAmqpBroker"/>. Its methods may be called from any thread.</summary>
internal sealed class FakeAmqpSession(FakeAmqpBroker broker) : Protocol
{
    private readonly AmqpFrameDecoder _decoder = new(uint.MaxValue);
    private readonly Dictionary<ushort, ulong> _confirming = [];
    private readonly Dictionary<ushort, ulong> _deliveryTags = [];
    private readonly Dictionary<ushort, (BasicPublish Publish, BasicProperties? Properties, ulong Size, MemoryStream Body)> _content = [];
    private bool _headerSeen;
    private bool _open;
    private IDelayedCall? _heartbeats;

    /// <summary>Every method the client sent, with its channel, in order.</summary>
    public ConcurrentQueue<(ushort Channel, IAmqpMethod Method)> Received { get; } = new();

    /// <summary>Heartbeat frames received from the client.</summary>
    public int HeartbeatsReceived => _heartbeatsReceived;

    /// <summary>True once the client's connection is gone.</summary>
    public bool Closed { get; private set; }

    /// <summary>Completes when the client's connection is gone.</summary>
    public TaskCompletionSource<Exception> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>While true, what the client sends is read and dropped, and heartbeats stop: a hung broker.</summary>
    public bool Mute { get; private set; }

    private int _heartbeatsReceived;

    private EventLoop Loop => Transport.Loop;

    public override void ConnectionMade()
    {
        if (broker.Silent)
        {
            Mute = true;
        }
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        if (Mute)
        {
            return data.End;
        }

        var buffer = data;
        if (!_headerSeen)
        {
            if (buffer.Length < 8)
            {
                return buffer.Start;
            }

            _headerSeen = true;
            buffer = buffer.Slice(8);
            Write(broker.StartFrame?.Invoke() ?? FakeAmqpBroker.MethodFrame(0, new ConnectionStart
            {
                VersionMajor = 0,
                VersionMinor = 9,
                ServerProperties = new FieldTable { ["product"] = "FakeAmqpBroker", ["capabilities"] = new FieldTable { ["publisher_confirms"] = true, ["connection.blocked"] = true } },
                Mechanisms = "PLAIN AMQPLAIN",
                Locales = "en_US",
            }));
        }

        while (!Mute && Connected && _decoder.TryDecode(ref buffer, out var frame))
        {
            OnFrame(frame);
        }

        return Mute ? data.End : buffer.Start;
    }

    protected override void ConnectionLost(Exception reason)
    {
        Closed = true;
        _heartbeats?.Cancel();
        Lost.TrySetResult(reason);
    }

    /// <summary>Sends <paramref name="method"/> on <paramref name="channel"/>.</summary>
    public Task Send(ushort channel, IAmqpMethod method) => OnLoop(() => SendNow(channel, method));

    /// <summary>Sends raw bytes.</summary>
    public Task SendRaw(byte[] bytes) => OnLoop(() => Write(bytes));

    /// <summary>Stops answering and stops heartbeats; the socket stays open.</summary>
    public Task GoSilent() => OnLoop(() =>
    {
        Mute = true;
        _heartbeats?.Cancel();
    });

    public Task CloseConnection(ushort code, string text) => Send(0, new ConnectionClose { ReplyCode = code, ReplyText = text });

    public Task CloseChannel(ushort channel, ushort code, string text, ushort classId = 0, ushort methodId = 0) =>
        Send(channel, new ChannelClose { ReplyCode = code, ReplyText = text, FailingClassId = classId, FailingMethodId = methodId });

    public Task Block(string reason) => Send(0, new ConnectionBlocked { Reason = reason });

    public Task Unblock() => Send(0, new ConnectionUnblocked());

    /// <summary>Sends <paramref name="method"/> at once; loop thread only (from <see cref="FakeAmqpBroker.OnMethod"/>).</summary>
    public void SendNow(ushort channel, IAmqpMethod method) => Write(FakeAmqpBroker.MethodFrame(channel, method));

    /// <summary>Writes raw bytes at once; loop thread only.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (Connected)
        {
            Transport.Write(bytes);
        }
    }

    /// <summary>Sends a message with content (deliver, get-ok, return); loop thread only.</summary>
    public void SendContent(ushort channel, IAmqpMethod method, BasicProperties? properties, byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        AmqpFrameWriter.WriteMethod(output, channel, method);
        AmqpFrameWriter.WriteContentHeader(output, channel, (ulong)body.Length, properties);
        AmqpFrameWriter.WriteBody(output, channel, new ReadOnlySequence<byte>(body), broker.FrameMax);
        Write(output.WrittenSpan);
    }

    private Task OnLoop(Action action) => Loop.InvokeAsync(action).Within();

    private void OnFrame(AmqpFrame frame)
    {
        switch (frame.Type)
        {
            case AmqpFrameType.Heartbeat:
                Interlocked.Increment(ref _heartbeatsReceived);
                return;
            case AmqpFrameType.Method:
                var method = AmqpMethodDecoder.Decode(frame.Payload);
                Received.Enqueue((frame.Channel, method));
                if (frame.Channel == 0)
                {
                    if (broker.OnConnectionMethod?.Invoke(this, method) != true)
                    {
                        ConnectionMethod(method);
                    }
                }
                else if (method is BasicPublish publish)
                {
                    _content[frame.Channel] = (publish, null, 0, new MemoryStream());
                }
                else if (broker.OnMethod?.Invoke(this, frame.Channel, method) != true)
                {
                    ChannelMethod(frame.Channel, method);
                }

                return;
            case AmqpFrameType.Header:
                var header = AmqpContentHeader.Decode(frame.Payload);
                var started = _content[frame.Channel];
                _content[frame.Channel] = (started.Publish, header.Properties, header.BodySize, started.Body);
                if (header.BodySize == 0)
                {
                    Published(frame.Channel);
                }

                return;
            default:
                var content = _content[frame.Channel];
                foreach (var segment in frame.Payload)
                {
                    content.Body.Write(segment.Span);
                }

                if ((ulong)content.Body.Length == content.Size)
                {
                    Published(frame.Channel);
                }

                return;
        }
    }

    private void Published(ushort channel)
    {
        var (publish, properties, _, body) = _content[channel];
        _content.Remove(channel);
        if (broker.OnMethod?.Invoke(this, channel, publish) == true)
        {
            return;
        }

        if (publish.Exchange.Length == 0)
        {
            broker.Queues.GetOrAdd(publish.RoutingKey, _ => new()).Enqueue((properties ?? new BasicProperties(), body.ToArray()));
        }

        if (_confirming.TryGetValue(channel, out var seq))
        {
            _confirming[channel] = seq + 1;
            SendNow(channel, new BasicAck { DeliveryTag = seq + 1 });
        }
    }

    private void ConnectionMethod(IAmqpMethod method)
    {
        switch (method)
        {
            case ConnectionStartOk:
                SendNow(0, new ConnectionTune { ChannelMax = broker.ChannelMax, FrameMax = broker.FrameMax, Heartbeat = broker.Heartbeat });
                return;
            case ConnectionTuneOk tuneOk:
                _decoder.MaxFrameSize = tuneOk.FrameMax == 0 ? uint.MaxValue : tuneOk.FrameMax;
                if (tuneOk.Heartbeat > 0)
                {
                    _heartbeats = Loop.CallLater(TimeSpan.FromSeconds(tuneOk.Heartbeat / 2.0), Heartbeat);
                }

                return;
            case ConnectionOpen:
                SendNow(0, new ConnectionOpenOk());
                _open = true;
                broker.Opened(this);
                return;
            case ConnectionClose:
                SendNow(0, new ConnectionCloseOk());
                Transport.LoseConnection();
                return;
            default:
                return;
        }
    }

    private void Heartbeat()
    {
        if (Mute || !Connected)
        {
            return;
        }

        AmqpFrameWriter.WriteHeartbeat(Transport.Output);
        var interval = _open ? broker.Heartbeat : 0;
        if (interval > 0)
        {
            _heartbeats = Loop.CallLater(TimeSpan.FromSeconds(interval / 2.0), Heartbeat);
        }
    }

    private void ChannelMethod(ushort channel, IAmqpMethod method)
    {
        switch (method)
        {
            case ChannelOpen:
                SendNow(channel, new ChannelOpenOk());
                return;
            case ChannelClose:
                SendNow(channel, new ChannelCloseOk());
                _confirming.Remove(channel);
                return;
            case ChannelCloseOk:
                _confirming.Remove(channel);
                return;
            case ConfirmSelect:
                _confirming[channel] = 0;
                SendNow(channel, new ConfirmSelectOk());
                return;
            case BasicQos:
                SendNow(channel, new BasicQosOk());
                return;
            case ExchangeDeclare:
                SendNow(channel, new ExchangeDeclareOk());
                return;
            case QueueDeclare declare:
                var name = declare.Queue.Length > 0 ? declare.Queue : $"amq.gen-{Guid.NewGuid():N}";
                var count = broker.Queues.TryGetValue(name, out var q) ? (uint)q.Count : 0;
                SendNow(channel, new QueueDeclareOk { Queue = name, MessageCount = count });
                return;
            case QueueBind:
                SendNow(channel, new QueueBindOk());
                return;
            case BasicGet get:
                if (broker.Queues.TryGetValue(get.Queue, out var queue) && queue.TryDequeue(out var message))
                {
                    var tag = _deliveryTags[channel] = _deliveryTags.GetValueOrDefault(channel) + 1;
                    SendContent(channel, new BasicGetOk { DeliveryTag = tag, RoutingKey = get.Queue, MessageCount = (uint)queue.Count }, message.Properties, message.Body);
                }
                else
                {
                    SendNow(channel, new BasicGetEmpty());
                }

                return;
            default:
                return;
        }
    }
}
