namespace ReactiveKv.Examples.Backends;

/// <summary>A backend that <c>kv &lt;url&gt; &lt;verb&gt; [args...]</c> reaches through URLs of its scheme.</summary>
public interface IKvBackend
{
    /// <summary>The URL scheme it answers, e.g. <c>tcp</c> in <c>tcp://127.0.0.1:8000</c>.</summary>
    string Scheme { get; }

    /// <summary>One line for help and listings, naming the verbs.</summary>
    string Description { get; }

    /// <summary>
    /// Runs one operation against <c>url</c> (the whole URL as typed: backends parse their own, e.g. a list of
    /// hosts) and returns what to print. Throws <see cref="CommandLine.UsageException"/> for an unknown
    /// verb or bad arguments (before connecting), and the reactor's typed errors when the operation fails.
    /// </summary>
    Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken);
}
