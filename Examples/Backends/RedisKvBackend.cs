using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>kv redis://host:port/db COMMAND [args]</c> sends any command and prints the reply as redis-cli does;
/// <c>kv redis://… subscribe channel…</c> (or <c>psubscribe pattern…</c>) prints one <c>channel: payload</c> line per
/// message until Ctrl+C; <c>kv redis://… monitor</c> prints every command the server runs, as redis-cli's MONITOR
/// does, until Ctrl+C. Unlike redis-cli, an error reply is a failure: one line on stderr and exit code 1.
/// </summary>
public sealed class RedisKvBackend(string scheme) : IKvBackend
{
    /// <inheritdoc />
    public string Scheme => scheme;

    /// <inheritdoc />
    public string Description =>
        "any Redis command (kv redis://127.0.0.1:6379/0 HGETALL h; a cluster: redis://h1:7000,h2:7001/0; through sentinels: redis+sentinel://127.0.0.1:26379/mymaster), printed as redis-cli prints it; " +
        "'subscribe ch…' or 'psubscribe pattern…' print 'channel: payload' per message until Ctrl+C; " +
        "'monitor' prints every command the server runs until Ctrl+C";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        var redis = ParseOptions(url) with { ConnectTimeout = options.Timeout, OperationTimeout = options.Timeout };
        var subscription = SubscriptionKind(verb);
        if (subscription is not null && args.Count == 0)
        {
            throw new UsageException($"{verb} needs at least one channel");
        }

        var monitor = verb.Equals("monitor", StringComparison.OrdinalIgnoreCase);
        if (monitor && args.Count > 0)
        {
            throw new UsageException("monitor takes no arguments");
        }

        await using var client = await RedisClient.ConnectAsync(reactor, redis, cancellationToken);
        if (monitor)
        {
            await PrintUntilCancelledAsync(client.Monitor(), line => line.ToString(), options.Output, cancellationToken);
            return "";
        }

        if (subscription is { } pattern)
        {
            await PrintUntilCancelledAsync(pattern ? client.PSubscribe([.. args]) : client.Subscribe([.. args]), Format, options.Output, cancellationToken);
            return "";
        }

        var reply = await Send(client, verb, args).WithCancellation(cancellationToken);
        return reply.ToString();
    }

    private static RedisOptions ParseOptions(string url)
    {
        try
        {
            return RedisOptions.Parse(url);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Null for an ordinary command; false for subscribe, true for psubscribe.</summary>
    private static bool? SubscriptionKind(string verb) =>
        verb.Equals("subscribe", StringComparison.OrdinalIgnoreCase) ? false
        : verb.Equals("psubscribe", StringComparison.OrdinalIgnoreCase) ? true
        : null;

    private static Deferred<RespValue> Send(RedisClient client, string verb, IReadOnlyList<string> args)
    {
        try
        {
            return client.Db.Execute(verb, [.. args.Select(a => (RedisValue)a)]);
        }
        catch (ArgumentException e)
        {
            // SELECT, MULTI, MONITOR… are the client's own business: say so rather than send them.
            var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            var hint = verb.Equals("select", StringComparison.OrdinalIgnoreCase) ? " (put the database in the URL: redis://host:port/1)" : "";
            throw new UsageException(message + hint);
        }
    }

    /// <summary>Prints every notification until cancelled (a normal end, exit 0) or until the stream fails.</summary>
    private static async Task PrintUntilCancelledAsync<T>(IObservable<T> stream, Func<T, string> format, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await stream
                .Do(item =>
                {
                    output.WriteLine(format(item));

                    // Someone piping this into another program wants each line as it comes.
                    output.Flush();
                })
                .IgnoreElements()
                .DefaultIfEmpty()
                .ToTask(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a subscription normally.
        }
    }

    private static string Format(RedisMessage message) => message.Kind switch
    {
        RedisMessageKind.Subscribed => $"subscribed to {message.Channel}",
        RedisMessageKind.Gap => $"reconnected to {message.Channel}: messages published meanwhile were lost",
        _ => $"{message.Channel}: {message.Text}",
    };
}
