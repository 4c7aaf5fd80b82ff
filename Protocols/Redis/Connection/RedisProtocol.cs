using System.Buffers;

namespace ReactiveKv.Redis;

/// <summary>
/// One connection to Redis on the reactor: writes commands in order, matches replies to them in the same order,
/// and hands out-of-band pushes (pub/sub messages) to <see cref="PushReceived"/>.
/// </summary>
internal sealed class RedisProtocol : ClientProtocol<RedisCommand>
{
    private static readonly HashSet<string> SubscriptionKinds = ["message", "pmessage", "smessage", "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe"];

    private readonly Queue<RedisCommand> _awaiting = new();
    private readonly RespReplyDecoder _decoder;
    private readonly Action<RawReply> _dispatch;

    public RedisProtocol(RespLimits limits, bool subscriber, bool monitor = false)
    {
        _decoder = new RespReplyDecoder(limits);
        _dispatch = Dispatch;
        Subscriber = subscriber;
        Monitor = monitor;
    }

    /// <summary>In subscriber mode RESP2 subscription arrays are pushes, not replies.</summary>
    public bool Subscriber { get; }

    /// <summary>In monitor mode a status line that no command waits for is a MONITOR line, handed to <see cref="PushReceived"/>.</summary>
    public bool Monitor { get; }

    /// <summary>Runs on the loop when this connection is gone (client-side caching forgets what it tracked).</summary>
    public Action? Lost { get; set; }

    public int CurrentDatabase { get; set; }

    public override int InFlight => _awaiting.Count;

    /// <summary>The multiplexer's handshake (HELLO / AUTH / CLIENT SETNAME), run on every new connection.</summary>
    public Func<RedisProtocol, Task>? Handshake { get; set; }

    public PushHandler? PushReceived { get; set; }

    /// <summary>Writes a handshake command ahead of the backlog.</summary>
    public void SendHandshake(RedisCommand command) => SendDuringHandshake(command);

    protected override Task HandshakeAsync() => Handshake?.Invoke(this) ?? Task.CompletedTask;

    protected override void Send(RedisCommand command)
    {
        if (command.Database >= 0 && command.Database != CurrentDatabase)
        {
            var select = new RedisCommand<bool>("SELECT", -1, [command.Database], Replies.Ok);
            Write(select);
            CurrentDatabase = command.Database;
        }

        Write(command);
    }

    /// <summary>Sends a command answered out of band (subscriber connections); it is not matched to a reply.</summary>
    public void SendNoReply(RedisCommand command) => command.Write(Transport.Output);

    protected override IEnumerable<RedisCommand> TakeInFlight()
    {
        var taken = _awaiting.ToArray();
        _awaiting.Clear();
        return taken;
    }

    protected override void OnConnectionLost(Exception reason) => Lost?.Invoke();

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => DecodeFrames(_decoder, data, _dispatch);

    private void Write(RedisCommand command)
    {
        command.Write(Transport.Output);
        if (!command.NoReply)
        {
            _awaiting.Enqueue(command);
        }
    }

    private void Dispatch(RawReply reply)
    {
        if (reply.Type == RespType.Push || (Subscriber && IsSubscriptionArray(reply)) || (Monitor && reply.Type == RespType.SimpleString && _awaiting.Count == 0))
        {
            PushReceived?.Invoke(reply);
            return;
        }

        if (!_awaiting.TryPeek(out var command) && Subscriber && reply.IsError)
        {
            // A subscriber's SUBSCRIBE family is not matched to replies; a refusal of one (a shard channel MOVED
            // elsewhere) is news for the subscriber, not a broken stream.
            PushReceived?.Invoke(reply);
            return;
        }

        if (command is null)
        {
            throw new ProtocolErrorException($"Redis sent a {reply.Type} reply that no command was waiting for.");
        }

        // Taken off only once delivered: a reply that fails to decode leaves its command in flight, failed by the loss rule.
        command.Complete(reply);
        _awaiting.Dequeue();
        command.Answered = true;
        RequestAnswered();
    }

    private static bool IsSubscriptionArray(in RawReply reply)
    {
        if (reply.Type != RespType.Array || reply.Count < 3)
        {
            return false;
        }

        var children = reply.Children();
        children.MoveNext();
        return children.Current.Type == RespType.BulkString && SubscriptionKinds.Contains(children.Current.Text());
    }
}
