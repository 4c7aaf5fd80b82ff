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

    /// <summary>The arguments after the command name (the cluster router reads its keys from them).</summary>
    internal RedisValue[] Arguments => _arguments;

    /// <summary>Set by the cluster router: MOVED, ASK, TRYAGAIN and CLUSTERDOWN replies go to it instead of the caller.</summary>
    internal IRedirectHandler? Redirects { get; set; }

    /// <summary>When the caller stops waiting, on the reactor clock (set by the cluster router, which resends within it).</summary>
    internal DateTimeOffset Deadline { get; set; }

    /// <summary>How many times the cluster router sent this command again after a redirect.</summary>
    internal int Redirected { get; set; }

    /// <summary>A node the command must run on, whatever its keys say (SCAN of one primary, commands run on every primary).</summary>
    internal object? PinnedTo { get; set; }

    public override string Operation => Name;

    /// <summary>The database index as <c>db.namespace</c> says it, for the databases a server has by default (no allocation).</summary>
    private static readonly string[] Namespaces = [.. Enumerable.Range(0, 16).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    protected override void AddTelemetryTags(ref System.Diagnostics.TagList tags)
    {
        if (Database >= 0)
        {
            tags.Add("db.namespace", Database < Namespaces.Length ? Namespaces[Database] : Database.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

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

    /// <summary>This command again, to be written elsewhere, settling the same result; null when it cannot be sent twice.</summary>
    internal virtual RedisCommand? CopyToResend() => null;

    /// <summary>Sends this command through the cluster router with its own result type (so it can be split per slot).</summary>
    internal virtual void SubmitTo(RedisClusterRouter router, TimeSpan? timeout) => router.SubmitUntyped(this, timeout);

    /// <summary>
    /// The command whose reply carries the result, and whose keys decide where it goes in a cluster: itself, or the
    /// command a transaction's QUEUED wrapper stands for.
    /// </summary>
    public virtual RedisCommand Executed => this;

    /// <summary>
    /// Runs when the reply arrives, before anyone sees it, even for an abandoned command: a client with a cache forgets
    /// the keys a write named before its caller can read them again.
    /// </summary>
    public Action<RedisCommand>? Replied { get; set; }

    /// <summary>Delivers the reply (a value, or the server's error) to whoever waits.</summary>
    public abstract void Complete(in RawReply reply);


    public override string ToString() => Name;
}
