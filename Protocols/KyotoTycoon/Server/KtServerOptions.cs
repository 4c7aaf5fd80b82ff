using System.Reactive.Concurrency;

namespace ReactiveKv.KyotoTycoon;

/// <summary>How an embedded <see cref="KtServer"/> is set up.</summary>
public sealed record KtServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Databases in order, as ktserver takes them: <c>*</c> cache hash, <c>%</c> cache tree, or names ending in .kcc/.kch (hash) or .kcg/.kct (tree).</summary>
    public IReadOnlyList<string> Databases { get; init; } = ["*"];

    /// <summary>
    /// The clock whose <see cref="IScheduler.Now"/> decides record expiry (xt) and stamps the update log and queue
    /// keys (a <see cref="Testing.TestScheduler"/> puts the server on virtual time); null is the reactor's clock: wall
    /// time, or the reactor's own virtual clock. Timers (WAIT, queue waits, keep-alives) stay on the loops.
    /// </summary>
    public IScheduler? Clock { get; init; }

    /// <summary>Port of the memcached plugin (text protocol on DB 0); null runs none, 0 picks a free port.</summary>
    public int? MemcachedPort { get; init; }

    /// <summary>The plugin's <c>opts=f</c>: flags stored as 4 big-endian bytes after the value (and read back from any value of 4+ bytes).</summary>
    public bool MemcachedFlags { get; init; } = true;

    /// <summary>
    /// Script procedures for <c>play_script</c> (the server's <c>-scr</c>), by name: each gets the input map and returns
    /// the output map, or throws <see cref="KtScriptFailure"/> with the HTTP status to answer. Null disables scripting.
    /// </summary>
    public IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, byte[]>, IReadOnlyDictionary<string, byte[]>>>? Scripts { get; init; }

    /// <summary>The plugin's <c>opts=r</c>: memcached write commands answer <c>SERVER_ERROR server is read-only</c>.</summary>
    public bool MemcachedReadOnly { get; init; }

    /// <summary>
    /// The plugin's <c>opts=q</c> (DB 0 must be a tree): <c>set</c> appends a message under
    /// <c>key 14-digit-ms 4-digit-seq</c>, <c>get</c> takes the oldest message of the key (waiting up to
    /// <see cref="MemcachedQueueTimeout"/>), <c>delete</c> acknowledges the last one taken, and messages taken but not
    /// acknowledged go back when the connection closes.
    /// </summary>
    public bool MemcachedQueue { get; init; }

    /// <summary>How long a queue-mode <c>get</c> waits for a message (the plugin's <c>qtout</c>, 10 s).</summary>
    public TimeSpan MemcachedQueueTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>This server's id (<c>-sid</c>) in the update log it keeps for replication slaves.</summary>
    public ushort ServerId { get; init; } = 1;

    /// <summary>How often an idle replication stream gets a no-op the slave must acknowledge (ktserver: 0.1 s).</summary>
    public TimeSpan ReplicationKeepAlive { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Size at which the update log starts a new file (ktserver's <c>-ulim</c>); <c>ulog_list</c> shows the files.</summary>
    public long UpdateLogFileBytes { get; init; } = 16L << 20;

    /// <summary>
    /// Most bytes of update log kept in memory; beyond it the oldest files are dropped (a slave asking for older
    /// records then starts from the oldest kept). ktserver keeps files until <c>ulog_remove</c>; memory needs a bound.
    /// </summary>
    public long UpdateLogMaxBytes { get; init; } = 128L << 20;

    /// <summary>Largest request body (the server's 256 MiB); larger gets 413 and a close.</summary>
    public long MaxBodyBytes { get; init; } = 1L << 28;

    /// <summary>
    /// Connection limits for every listener of this server (connection cap, idle and request timeouts, per-connection
    /// buffer caps); the input cap is raised to the server's own largest request when that is larger.
    /// </summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;
}
