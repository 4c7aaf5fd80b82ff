using System.Reactive.Linq;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>kv redis://host:port/db COMMAND [args]</c> sends any command and prints the reply as redis-cli does;
/// <c>kv redis://… subscribe channel…</c> prints <c>channel: payload</c> lines until Ctrl+C.
/// </summary>
public sealed class RedisKvBackend(string scheme) : IKvBackend
{
    /// <inheritdoc />
    public string Scheme => scheme;

    /// <inheritdoc />
    public string Description => "any Redis command, printed as redis-cli prints it; 'subscribe ch…' streams messages";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, Uri target, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        RedisOptions redis;
        try
        {
            redis = RedisOptions.Parse(target.OriginalString) with { ConnectTimeout = options.Timeout, CommandTimeout = options.Timeout };
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        await using var client = await RedisClient.Connect(reactor, redis).WithCancellation(cancellationToken);
        if (verb.Equals("subscribe", StringComparison.OrdinalIgnoreCase))
        {
            await SubscribeAsync(client, args, options.Output, cancellationToken);
            return "";
        }

        try
        {
            var reply = await client.Db.Execute(verb, [.. args.Select(a => (RedisValue)a)]).WithCancellation(cancellationToken);
            return reply.ToString();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static async Task SubscribeAsync(RedisClient client, IReadOnlyList<string> channels, TextWriter output, CancellationToken cancellationToken)
    {
        if (channels.Count == 0)
        {
            throw new UsageException("subscribe needs at least one channel");
        }

        using var printing = client.Subscribe([.. channels]).Subscribe(message =>
        {
            lock (output)
            {
                output.WriteLine(message.Kind switch
                {
                    RedisMessageKind.Subscribed => $"subscribed to {message.Channel}",
                    RedisMessageKind.Gap => $"reconnected to {message.Channel}: messages published meanwhile were lost",
                    _ => $"{message.Channel}: {message.Text}",
                });
                output.Flush();
            }
        });
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a subscription normally.
        }
    }
}
