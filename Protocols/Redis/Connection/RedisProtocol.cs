using System.Buffers;

namespace ReactiveKv.Redis;

/// <summary>
/// One connection to Redis on the reactor: writes commands in order, matches replies to them in the same order,
/// and hands out-of-band pushes (pub/sub messages) to <see cref="PushReceived"/>.
/// </summary>
internal sealed class RedisProtocol : Protocol
{
    private static readonly HashSet<string> SubscriptionKinds = ["message", "pmessage", "smessage", "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe"];

    private readonly Queue<RedisCommand> _awaiting = new();
    private readonly RespReplyDecoder _decoder;

    public RedisProtocol(RespLimits limits, bool subscriber)
    {
        _decoder = new RespReplyDecoder(limits);
        Subscriber = subscriber;
    }

    /// <summary>In subscriber mode RESP2 subscription arrays are pushes, not replies.</summary>
    public bool Subscriber { get; }

    public int CurrentDatabase { get; set; }

    public int InFlight => _awaiting.Count;

    /// <summary>False from the moment the connection starts closing: new commands must wait for the next one.</summary>
    public bool Usable => Connected && !Transport.Disconnecting;

    public Action? Made { get; set; }

    public Action<Exception>? Lost { get; set; }

    public Action? ReplyConsumed { get; set; }

    public PushHandler? PushReceived { get; set; }

    /// <summary>Writes commands back to back, so nothing else can come between them (MULTI … EXEC).</summary>
    public void Send(IReadOnlyList<RedisCommand> group)
    {
        foreach (var command in group)
        {
            Send(command);
        }
    }

    public void Send(RedisCommand command)
    {
        if (command.Database >= 0 && command.Database != CurrentDatabase)
        {
            var select = new RedisCommand<bool>("SELECT", -1, [command.Database], Replies.Ok);
            Write(select);
            CurrentDatabase = command.Database;
        }

        Write(command);
    }

    public override void ConnectionMade() => Made?.Invoke();

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var buffer = data;
        try
        {
            while (Connected && !Transport.Disconnecting && _decoder.TryDecode(ref buffer, out var reply))
            {
                Dispatch(reply);
            }
        }
        catch (ProtocolErrorException e)
        {
            // The stream cannot be trusted past a malformed reply: fail this connection, never guess.
            FailAll(new RedisConnectionException($"Redis sent a malformed reply: {e.Message}", true, e));
            Transport.AbortConnection();
            return data.End;
        }

        return buffer.Start;
    }

    protected override void ConnectionLost(Exception reason)
    {
        FailAll(new RedisConnectionException($"The connection to Redis was lost: {reason.Message}", true, reason));
        Lost?.Invoke(reason);
    }

    private void Write(RedisCommand command)
    {
        command.Write(Transport.Output);
        command.Written = true;
        if (!command.NoReply)
        {
            _awaiting.Enqueue(command);
        }
    }

    private void Dispatch(in RawReply reply)
    {
        if (reply.Type == RespType.Push || (Subscriber && IsSubscriptionArray(reply)))
        {
            PushReceived?.Invoke(reply);
            return;
        }

        if (!_awaiting.TryDequeue(out var command))
        {
            throw new ProtocolErrorException($"Redis sent a {reply.Type} reply that no command was waiting for.");
        }

        command.Answered = true;
        command.Complete(reply);
        ReplyConsumed?.Invoke();
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

    private void FailAll(Exception error)
    {
        while (_awaiting.TryDequeue(out var command))
        {
            command.Fail(error);
        }
    }
}
