using System.Buffers;

namespace ReactiveKv.Redis;

/// <summary>
/// One command on its way: its arguments, the database it runs in, and where its reply goes. Written and answered
/// on the connection's loop; a command that was cancelled after being written is still matched to its reply, which
/// is then dropped, so the stream stays in step.
/// </summary>
internal abstract class RedisCommand : ClientRequest
{
    private readonly RedisValue[] _arguments;

    protected RedisCommand(string name, int database, RedisValue[] arguments)
    {
        Name = name;
        Database = database;
        _arguments = arguments;
    }

    public string Name { get; }

    public override string Operation => Name;

    /// <summary>Database the command must run in, or -1 when it does not depend on one.</summary>
    public int Database { get; }

    /// <summary>Cancelled or timed out: the reply, when it comes, is consumed and dropped.</summary>
    public bool Abandoned => IsSettled;

    /// <summary>Blocking commands may legitimately wait on the server; their timeout is the caller's.</summary>
    public bool Blocking { get; init; }

    /// <summary>Answered out of band (SUBSCRIBE and friends on a subscriber connection): not matched to a reply.</summary>
    public bool NoReply { get; init; }

    public virtual void Write(IBufferWriter<byte> output)
    {
        if (RespWriter.TryWriteCommand(output, Name, _arguments))
        {
            return;
        }

        RespWriter.WriteArrayHeader(output, _arguments.Length + 1);
        RespWriter.WriteArgument(output, (RedisValue)Name);
        foreach (var argument in _arguments)
        {
            RespWriter.WriteArgument(output, argument);
        }
    }

    /// <summary>The command whose reply carries the result: itself, or the command a transaction's QUEUED wrapper stands for.</summary>
    public virtual RedisCommand Executed => this;

    /// <summary>The arguments, after the name.</summary>
    public IReadOnlyList<RedisValue> Arguments => _arguments;

    /// <summary>
    /// Runs when the reply arrives, before anyone sees it, even for an abandoned command: a client with a cache forgets
    /// the keys a write named before its caller can read them again.
    /// </summary>
    public Action<RedisCommand>? Replied { get; set; }

    /// <summary>Delivers the reply (a value, or the server's error) to whoever waits.</summary>
    public abstract void Complete(in RawReply reply);


    public override string ToString() => Name;
}
